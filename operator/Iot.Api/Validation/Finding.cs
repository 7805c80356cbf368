using k8s;
using k8s.Models;

namespace Iot.Api.Validation;

/// <summary>A problem found in one object of a set: an error (the set must not be applied) or a warning.</summary>
/// <param name="Object">The object the finding is about.</param>
/// <param name="Error">The field and what is wrong with it.</param>
/// <param name="IsWarning">True when applying the set is still possible.</param>
public sealed record Finding(IKubernetesObject<V1ObjectMeta> Object, FieldError Error, bool IsWarning = false);
