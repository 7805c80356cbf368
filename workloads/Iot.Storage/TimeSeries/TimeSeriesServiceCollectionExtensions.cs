using System.Diagnostics.Metrics;

using Iot.Storage.Influx;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Iot.Storage.TimeSeries;

/// <summary>Registers the time-series store a workload writes to or reads from.</summary>
public static class TimeSeriesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITimeSeriesStore"/> from the configuration section <c>TimeSeries</c>: InfluxDB when
    /// <c>TimeSeries:Influx:Url</c> is set (with <see cref="InfluxClient"/> and <see cref="InfluxPointWriter"/>, settings
    /// under <c>TimeSeries:Influx</c> and <c>TimeSeries:Writer</c>, e.g. <c>TimeSeries:Writer:SpoolDirectory</c>),
    /// otherwise the embedded SQLite store at <c>TimeSeries:Sqlite:Path</c> (default <c>telemetry.db</c>). Singletons;
    /// the container's disposal flushes what is buffered. Uses <see cref="TimeProvider"/> from the container, or the system clock.
    /// </summary>
    /// <exception cref="InvalidOperationException">The section is invalid (an InfluxDB URL that is not http(s), a batch size below 1).</exception>
    public static IServiceCollection AddIotTimeSeriesStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("TimeSeries");
        services.TryAddSingleton(TimeProvider.System);
        if (section["Influx:Url"] is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"TimeSeries:Influx:Url '{url}' is not an http(s) URL (like http://influxdb:8086).");
            }

            var influx = new InfluxOptions
            {
                Url = address,
                Username = section["Influx:Username"],
                Password = section["Influx:Password"],
                Timeout = section.GetValue("Influx:Timeout", TimeSpan.FromSeconds(10)),
                Gzip = section.GetValue("Influx:Gzip", true),
            };
            var writer = section.GetSection("Writer").Get<InfluxWriterOptions>() ?? new InfluxWriterOptions();
            if (writer.BatchSize < 1 || writer.Capacity < 1 || writer.MaxAttempts < 1)
            {
                throw new InvalidOperationException("TimeSeries:Writer: BatchSize, Capacity and MaxAttempts must be at least 1.");
            }

            services.TryAddSingleton(_ => new InfluxClient(influx));
            services.TryAddSingleton(provider => new InfluxPointWriter(
                provider.GetRequiredService<InfluxClient>(),
                writer,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<InfluxPointWriter>>(),
                provider.GetService<IMeterFactory>()));
            services.TryAddSingleton<ITimeSeriesStore>(provider => new InfluxTimeSeriesStore(provider.GetRequiredService<InfluxClient>(), provider.GetRequiredService<InfluxPointWriter>()));
        }
        else
        {
            var sqlite = new SqliteTimeSeriesOptions { Path = section["Sqlite:Path"] ?? "telemetry.db" };
            services.TryAddSingleton(provider => SqliteTimeSeriesStore.Open(sqlite, provider.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<ITimeSeriesStore>(provider => provider.GetRequiredService<SqliteTimeSeriesStore>());
        }

        return services;
    }
}
