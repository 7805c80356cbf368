using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Iot.Analytics.Http;

/// <summary>Collects what is wrong with a request's parameters, to answer all of it at once as a 400 validation problem.</summary>
internal sealed class RequestProblems
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string parameter, string message) =>
        errors[parameter] = errors.TryGetValue(parameter, out var existing) ? [.. existing, message] : [message];

    public ValidationProblem ToResult() => TypedResults.ValidationProblem(
        errors,
        detail: string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
        title: "The request's parameters are invalid");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
