using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Notify.Delivery;
using Iot.Notify.Grouping;
using Iot.Notify.Routes;
using Iot.Notify.Tests.Support;

using Microsoft.Extensions.DependencyInjection;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Delivery;

public sealed class EmailAndSlackSenderTests
{
    private readonly InMemoryRouteSource routes = new();

    [Fact]
    public async Task Email_is_sent_with_the_credentials_from_the_secret_and_the_alert_in_subject_and_body()
    {
        await using var smtp = new SmtpListener();
        routes.SetSecret("smtp", "username", "notify");
        routes.SetSecret("smtp", "password", "pa55");
        var receiver = Email(smtp.Port, requireTls: false);

        await new EmailSender(routes).SendAsync(receiver, Payload(receiver), "{}", CancellationToken.None);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(("iot@example.org", "notify:pa55", false), (mail.From, mail.Credentials, mail.Tls));
        Assert.Equal(["ops@example.org", "oncall@example.org"], mail.To);
        Assert.Contains("Subject: [FIRING:1] overheat (room=lab-1)", mail.Data, StringComparison.Ordinal);
        Assert.Contains("device = thermo-1", mail.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_with_require_tls_upgrades_with_starttls()
    {
        using var certificate = SelfSigned();
        await using var smtp = new SmtpListener(certificate);
        var receiver = Email(smtp.Port, requireTls: true, auth: false);
        var sender = new EmailSender(routes) { CertificateValidation = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString() };

        await sender.SendAsync(receiver, Payload(receiver), "{}", CancellationToken.None);

        Assert.True(Assert.Single(smtp.Messages).Tls);
    }

    [Fact]
    public async Task Email_with_require_tls_to_a_server_without_starttls_fails_saying_why()
    {
        await using var smtp = new SmtpListener();
        var receiver = Email(smtp.Port, requireTls: true, auth: false);

        var error = await Assert.ThrowsAsync<DeliveryException>(() => new EmailSender(routes).SendAsync(receiver, Payload(receiver), "{}", CancellationToken.None));

        Assert.StartsWith($"smtp 127.0.0.1:{smtp.Port}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("STARTTLS", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task Slack_gets_an_incoming_webhook_message_at_the_url_from_the_secret()
    {
        await using var target = await HttpTarget.StartAsync();
        routes.SetSecret("slack", "url", target.Url);
        var receiver = new Receiver { Name = "ops-slack", Slack = new SlackReceiver { UrlSecretRef = new SecretKeySelector { Name = "slack", Key = "url" }, Channel = "#ops" } };
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

        await new SlackSender(services.GetRequiredService<IHttpClientFactory>(), routes, TimeProvider.System).SendAsync(receiver, Payload(receiver), "{}", CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(target.Accepted).Body);
        Assert.Equal("*[FIRING:1] overheat (room=lab-1)*", body.RootElement.GetProperty("text").GetString());
        Assert.Equal("#ops", body.RootElement.GetProperty("channel").GetString());
        var attachment = body.RootElement.GetProperty("attachments")[0];
        Assert.Equal(("danger", "overheat on thermo-1"), (attachment.GetProperty("color").GetString(), attachment.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Slack_without_its_secret_fails_naming_the_secret()
    {
        var receiver = new Receiver { Name = "ops-slack", Slack = new SlackReceiver { UrlSecretRef = new SecretKeySelector { Name = "slack", Key = "url" } } };
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

        var error = await Assert.ThrowsAsync<DeliveryException>(() => new SlackSender(services.GetRequiredService<IHttpClientFactory>(), routes, TimeProvider.System)
            .SendAsync(receiver, Payload(receiver), "{}", CancellationToken.None));

        Assert.Equal("Secret \"slack\" key \"url\" (slack.urlSecretRef) not found", error.Message);
    }

    private static Receiver Email(int port, bool requireTls, bool auth = true) => new()
    {
        Name = "ops-mail",
        Email = new EmailReceiver
        {
            To = ["ops@example.org", "oncall@example.org"],
            From = "iot@example.org",
            Smarthost = $"127.0.0.1:{port}",
            RequireTls = requireTls,
            AuthSecretRef = auth ? new SecretReference { Name = "smtp" } : null,
        },
    };

    private static NotificationPayload Payload(Receiver receiver)
    {
        var alert = Firing("overheat", "thermo-1", "lab-1");
        var group = new GroupNotification("ops", "ops:{room=\"lab-1\"}", new Dictionary<string, string> { ["room"] = "lab-1" }, [alert], [], [receiver], alert.StartsAt, [alert.Fingerprint]);
        return NotificationPayload.ForGroup("n1", Namespace, receiver.Name, group);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
