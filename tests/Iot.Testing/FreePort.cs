using System.Net;
using System.Net.Sockets;

namespace Iot.Testing;

/// <summary>Free TCP ports on loopback for servers a test starts.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it; a race with other processes is unlikely, not impossible).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
