namespace Iot.Notify.Api;

/// <summary>
/// <c>POST /notifications/send</c>: an ad-hoc message, to one receiver (<c>receiver</c>, with <c>route</c> when the name is
/// used by more than one route) or, without <c>receiver</c>, to every receiver of the routes its <c>labels</c> match.
/// </summary>
public sealed record SendRequest(string? Route, string? Receiver, string? Title, string? Message, Dictionary<string, string>? Labels);

/// <summary><c>POST /alerts/{fingerprint}/ack</c>: who acknowledges, and why.</summary>
public sealed record AcknowledgeRequest(string? By, string? Comment);

/// <summary><c>POST /silences</c>: matchers, and either <c>endsAt</c> or a <c>duration</c> (from <c>startsAt</c>, default now).</summary>
public sealed record SilenceRequest(List<string>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Duration, string? CreatedBy, string? Comment);
