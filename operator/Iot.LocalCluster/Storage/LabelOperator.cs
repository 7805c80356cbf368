namespace Iot.LocalCluster.Storage;

/// <summary>The operators of label selector requirements.</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
