namespace Iot.Testing;

/// <summary>Waits for an outcome (not for a time): polls a condition until it holds, failing with the reason after a generous timeout.</summary>
public static class Eventually
{
    /// <summary>How long to wait before failing; generous because the suite shares two cores with real servers.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it is true; fails naming <paramref name="because"/> after <see cref="Timeout"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string because, CancellationToken cancellationToken = default) =>
        TrueAsync(() => Task.FromResult(condition()), because, cancellationToken);

    /// <summary>Polls <paramref name="condition"/> until it is true; fails naming <paramref name="because"/> after <see cref="Timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds:0} s waiting until {because}.");
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="read"/> until it returns a value; fails naming <paramref name="because"/> after <see cref="Timeout"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, string because, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        T? value = null;
        await TrueAsync(async () => (value = await read().ConfigureAwait(false)) is not null, because, cancellationToken).ConfigureAwait(false);
        return value!;
    }
}
