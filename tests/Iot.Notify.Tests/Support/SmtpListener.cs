using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Iot.Notify.Tests.Support;

/// <summary>
/// A small SMTP server on loopback for tests: EHLO, optional STARTTLS (with <see cref="Certificate"/>), AUTH PLAIN and
/// LOGIN, MAIL, RCPT, DATA, QUIT. It records each message with the credentials used and whether TLS was on.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public SmtpListener(X509Certificate2? certificate = null)
    {
        Certificate = certificate;
        listener.Start();
        accepting = AcceptAsync();
    }

    public X509Certificate2? Certificate { get; }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => ConverseAsync(client));
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        string? user = null;
        string? from = null;
        var to = new List<string>();
        var tls = false;
        async Task Say(string line)
        {
            var bytes = Encoding.ASCII.GetBytes(line + "\r\n");
            await stream.WriteAsync(bytes, stop.Token);
            await stream.FlushAsync(stop.Token);
        }

        await Say("220 localhost ESMTP test");
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await Say("250-localhost" + (Certificate is not null && !tls ? "\r\n250-STARTTLS" : "") + "\r\n250 AUTH PLAIN LOGIN");
                    break;
                case "STARTTLS":
                    await Say("220 ready");
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(Certificate!);
                    stream = ssl;
                    reader = new StreamReader(stream, Encoding.ASCII);
                    tls = true;
                    break;
                case "AUTH" when line.Split(' ') is [_, var mechanism, ..] && mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase):
                    var plain = line.Split(' ').Length > 2 ? line.Split(' ')[2] : await Challenge(Say, reader, "");
                    user = Encoding.UTF8.GetString(Convert.FromBase64String(plain)).Split('\0') is [_, var u, var p] ? $"{u}:{p}" : null;
                    await Say("235 2.7.0 authenticated");
                    break;
                case "AUTH":
                    var name = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge(Say, reader, "VXNlcm5hbWU6")));
                    var password = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge(Say, reader, "UGFzc3dvcmQ6")));
                    user = $"{name}:{password}";
                    await Say("235 2.7.0 authenticated");
                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>').Split('>')[0];
                    await Say("250 ok");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>').Split('>')[0]);
                    await Say("250 ok");
                    break;
                case "DATA":
                    await Say("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                    {
                        data.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                    }

                    Messages.Enqueue(new ReceivedMail(from ?? "", [.. to], user, tls, data.ToString()));
                    await Say("250 queued");
                    break;
                case "QUIT":
                    await Say("221 bye");
                    return;
                default:
                    await Say("250 ok");
                    break;
            }
        }
    }

    private static async Task<string> Challenge(Func<string, Task> say, StreamReader reader, string prompt)
    {
        await say("334 " + prompt);
        return await reader.ReadLineAsync() ?? "";
    }
}

public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string? Credentials, bool Tls, string Data);
