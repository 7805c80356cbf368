using System.Net.Http.Headers;
using System.Text;

using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Notify.Routes;

namespace Iot.Notify.Delivery;

/// <summary>POSTs the <see cref="NotificationPayload"/> as JSON, with the bearer token from the receiver's Secret and its timeout.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, IRouteSource routes, TimeProvider time) : INotificationSender
{
    public const string HttpClientName = "iot-notify-webhook";

    /// <inheritdoc />
    public string ReceiverType => "webhook";

    /// <inheritdoc />
    public async Task SendAsync(Receiver receiver, NotificationPayload payload, string payloadJson, CancellationToken cancellationToken)
    {
        var webhook = receiver.Webhook ?? throw new DeliveryException($"receiver {receiver.Name} is not a webhook");
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new StringContent(payloadJson, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Iot-Notification-Id", payload.Id);
        if (webhook.TokenSecretRef is { } tokenRef)
        {
            var token = await routes.GetSecretAsync(tokenRef.Name, tokenRef.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new DeliveryException($"Secret \"{tokenRef.Name}\" key \"{tokenRef.Key}\" (webhook.tokenSecretRef) not found");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }

        var timeout = webhook.Timeout is { } text && Duration.TryParse(text, out var parsed) ? parsed : TimeSpan.FromSeconds(10);
        await PostAsync(httpClients, request, timeout, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/>; anything but 2xx within <paramref name="timeout"/> is a <see cref="DeliveryException"/>.</summary>
    internal static async Task PostAsync(IHttpClientFactory httpClients, HttpRequestMessage request, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                var excerpt = body.Length > 200 ? body[..200] + "…" : body;
                throw new DeliveryException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}{(excerpt.Length > 0 ? ": " + excerpt : "")}");
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)} did not answer within {Duration.Format(timeout)}");
        }
        catch (HttpRequestException e)
        {
            throw new DeliveryException($"{request.RequestUri?.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }
    }
}
