using System.Text;
using System.Text.Json.Nodes;

using Iot.Api.AlertRoutes;
using Iot.Notify.Routes;

namespace Iot.Notify.Delivery;

/// <summary>Posts to a Slack incoming webhook (URL from the receiver's Secret): <c>text</c> plus one attachment per alert, colored by status.</summary>
public sealed class SlackSender(IHttpClientFactory httpClients, IRouteSource routes, TimeProvider time) : INotificationSender
{
    /// <inheritdoc />
    public string ReceiverType => "slack";

    /// <inheritdoc />
    public async Task SendAsync(Receiver receiver, NotificationPayload payload, string payloadJson, CancellationToken cancellationToken)
    {
        var slack = receiver.Slack ?? throw new DeliveryException($"receiver {receiver.Name} is not a slack receiver");
        var url = await routes.GetSecretAsync(slack.UrlSecretRef.Name, slack.UrlSecretRef.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new DeliveryException($"Secret \"{slack.UrlSecretRef.Name}\" key \"{slack.UrlSecretRef.Key}\" (slack.urlSecretRef) not found");
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new DeliveryException($"Secret \"{slack.UrlSecretRef.Name}\" key \"{slack.UrlSecretRef.Key}\" does not hold a URL");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(Render(slack, payload).ToJsonString(), Encoding.UTF8, "application/json") };
        await WebhookSender.PostAsync(httpClients, request, TimeSpan.FromSeconds(10), time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Slack message for <paramref name="payload"/>.</summary>
    public static JsonObject Render(SlackReceiver slack, NotificationPayload payload)
    {
        var message = new JsonObject { ["text"] = payload.Message is { } text ? $"*{payload.Title}*\n{text}" : $"*{payload.Title}*" };
        if (slack.Channel is { Length: > 0 } channel)
        {
            message["channel"] = channel;
        }

        if (slack.Username is { Length: > 0 } username)
        {
            message["username"] = username;
        }

        message["attachments"] = new JsonArray([.. payload.Alerts.Select(a => (JsonNode)new JsonObject
        {
            ["color"] = a.Status == "firing" ? "danger" : "good",
            ["title"] = $"{a.Status.ToUpperInvariant()}: {a.Labels.GetValueOrDefault("alertname")} on {a.Labels.GetValueOrDefault("device")}",
            ["text"] = a.Annotations.GetValueOrDefault("summary") ?? "",
            ["fields"] = new JsonArray([.. a.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => (JsonNode)new JsonObject { ["title"] = l.Key, ["value"] = l.Value, ["short"] = true })]),
            ["ts"] = a.StartsAt.ToUnixTimeSeconds(),
        })]);
        return message;
    }
}
