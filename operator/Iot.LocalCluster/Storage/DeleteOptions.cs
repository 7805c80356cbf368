namespace Iot.LocalCluster.Storage;

/// <summary>How a delete applies.</summary>
/// <param name="Propagation">What happens to dependents.</param>
/// <param name="PreconditionUid">When set, the object's uid must equal it (else 409 Conflict).</param>
/// <param name="PreconditionResourceVersion">When set, the object's resourceVersion must equal it (else 409 Conflict).</param>
public sealed record DeleteOptions(PropagationPolicy Propagation = PropagationPolicy.Background, string? PreconditionUid = null, string? PreconditionResourceVersion = null);
