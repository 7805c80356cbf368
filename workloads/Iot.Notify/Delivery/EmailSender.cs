using System.Globalization;
using System.Text;

using Iot.Api.AlertRoutes;
using Iot.Notify.Routes;

using MailKit.Net.Smtp;
using MailKit.Security;

using MimeKit;

namespace Iot.Notify.Delivery;

/// <summary>
/// Sends a plain-text email through the receiver's smarthost with MailKit: TLS from the start on port 465, otherwise
/// STARTTLS when the server offers it (required with <c>requireTls</c>); credentials from the Secret's <c>username</c>
/// and <c>password</c>.
/// </summary>
public sealed class EmailSender(IRouteSource routes) : INotificationSender
{
    /// <summary>Tests trust their own SMTP server's certificate through this; null uses the system's trust.</summary>
    internal System.Net.Security.RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <inheritdoc />
    public string ReceiverType => "email";

    /// <inheritdoc />
    public async Task SendAsync(Receiver receiver, NotificationPayload payload, string payloadJson, CancellationToken cancellationToken)
    {
        var email = receiver.Email ?? throw new DeliveryException($"receiver {receiver.Name} is not an email receiver");
        var separator = email.Smarthost.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(email.Smarthost[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new DeliveryException($"smarthost \"{email.Smarthost}\" is not host:port");
        }

        var host = email.Smarthost[..separator];
        string? username = null;
        string? password = null;
        if (email.AuthSecretRef is { } auth)
        {
            username = await routes.GetSecretAsync(auth.Name, "username", cancellationToken).ConfigureAwait(false);
            password = await routes.GetSecretAsync(auth.Name, "password", cancellationToken).ConfigureAwait(false);
            if (username is null || password is null)
            {
                throw new DeliveryException($"Secret \"{auth.Name}\" (email.authSecretRef) not found or without keys username and password");
            }
        }

        var message = Render(email, payload);
        using var client = new SmtpClient();
        if (CertificateValidation is { } validation)
        {
            client.ServerCertificateValidationCallback = validation;
        }

        var security = port == 465 ? SecureSocketOptions.SslOnConnect : email.RequireTls == true ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable;
        try
        {
            await client.ConnectAsync(host, port, security, cancellationToken).ConfigureAwait(false);
            if (username is not null)
            {
                await client.AuthenticateAsync(username, password!, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException or IOException or System.Net.Sockets.SocketException or NotSupportedException)
        {
            throw new DeliveryException($"smtp {email.Smarthost}: {e.Message}", e);
        }
    }

    /// <summary>The email for <paramref name="payload"/>: the title as subject, each alert with its labels and annotations in the body.</summary>
    public static MimeMessage Render(EmailReceiver email, NotificationPayload payload)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.From));
        foreach (var to in email.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = payload.Title;
        var body = new StringBuilder();
        if (payload.Message is { } text)
        {
            body.AppendLine(text).AppendLine();
        }

        foreach (var alert in payload.Alerts)
        {
            body.Append(CultureInfo.InvariantCulture, $"{alert.Status.ToUpperInvariant()}: {alert.Annotations.GetValueOrDefault("summary") ?? alert.Labels.GetValueOrDefault("alertname")}").AppendLine();
            body.Append(CultureInfo.InvariantCulture, $"  since {alert.StartsAt:u}{(alert.EndsAt is { } end ? $", resolved {end:u}" : "")}{(alert.Value is { } v ? $", value {v}" : "")}").AppendLine();
            foreach (var (name, value) in alert.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                body.Append(CultureInfo.InvariantCulture, $"  {name} = {value}").AppendLine();
            }

            body.AppendLine();
        }

        body.Append(CultureInfo.InvariantCulture, $"route {payload.Route}, receiver {payload.Receiver}, notification {payload.Id}").AppendLine();
        message.Body = new TextPart("plain") { Text = body.ToString() };
        return message;
    }
}
