using Iot.Api.Validation;

namespace Iot.Api.Rooms;

/// <summary>Room checks beyond the schema.</summary>
internal static class RoomValidation
{
    public static void Validate(RoomSpec spec, List<FieldError> errors)
    {
        ResourceValidator.CheckUnique((spec.Metrics ?? []).Select(m => m.Name), i => $"spec.metrics[{i}].name", "metric name", errors);

        var raw = ResourceValidator.CheckDuration(spec.Retention?.Raw, "spec.retention.raw", errors, TimeSpan.FromHours(1));
        var rollups = spec.Retention?.Rollups ?? [];
        TimeSpan? previousEvery = null;
        for (var i = 0; i < rollups.Count; i++)
        {
            var path = $"spec.retention.rollups[{i}]";
            var every = ResourceValidator.CheckDuration(rollups[i].Every, path + ".every", errors, TimeSpan.FromSeconds(1));
            var keep = ResourceValidator.CheckDuration(rollups[i].Keep, path + ".keep", errors, TimeSpan.FromHours(1));
            if (every is not null && previousEvery is not null && every <= previousEvery)
            {
                errors.Add(new FieldError(path + ".every",
                    $"rollups must be finest first: {rollups[i].Every} is not larger than the previous rollup's {rollups[i - 1].Every}"));
            }

            if (every is not null && keep is not null && keep < every)
            {
                errors.Add(new FieldError(path + ".keep", $"keep ({rollups[i].Keep}) must be at least every ({rollups[i].Every})"));
            }

            if (every is not null && raw is not null && keep is not null && keep < raw)
            {
                errors.Add(new FieldError(path + ".keep",
                    $"a rollup must be kept at least as long as raw points ({spec.Retention!.Raw}), else it holds nothing raw data does not; got {rollups[i].Keep}"));
            }

            previousEvery = every ?? previousEvery;
        }
    }
}
