using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>One event of a watch: its type (see <see cref="WatchEventTypes"/>) and a deep copy of the object.</summary>
public sealed record WatchEvent(string Type, JsonObject Object);
