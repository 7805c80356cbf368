namespace Iot.LocalCluster.Storage;

/// <summary>The event types of the Kubernetes watch protocol.</summary>
public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
}
