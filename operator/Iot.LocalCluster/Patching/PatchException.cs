namespace Iot.LocalCluster.Patching;

/// <summary>A patch that cannot be applied: it is malformed or does not fit the document (the HTTP layer answers 422 or 400).</summary>
public sealed class PatchException(string message) : Exception(message);
