using System.Globalization;

namespace MtlsAuthServer.Tokens;

public static class SigningKeyRegistration
{
    /// <summary>
    /// Registers every configured signing key with OpenIddict (its JWKS and its own token validation then know them
    /// all) and the handlers that sign with the scheduled one and publish each key only inside its window.
    /// </summary>
    public static OpenIddictServerBuilder UseSigningKeySchedule(this OpenIddictServerBuilder server, SigningKeySchedule schedule, TimeSpan leadTime)
    {
        foreach (var key in schedule.Keys)
        {
            server.AddSigningCredentials(key.Credentials);
        }

        server.Services.AddSingleton(schedule);
        server.Services.AddHostedService(services => new SigningKeyScheduleReport(
            schedule, leadTime, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<SigningKeyScheduleReport>>()));
        return server.AddEventHandler(SignWithScheduledKey.Descriptor).AddEventHandler(PublishScheduledSigningKeys.Descriptor);
    }
}

/// <summary>Logs the schedule once at start-up, so an operator sees which key signs when and what can be removed.</summary>
public sealed class SigningKeyScheduleReport(SigningKeySchedule schedule, TimeSpan leadTime, TimeProvider time, ILogger<SigningKeyScheduleReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var key in schedule.Keys)
        {
            SigningKeyLog.Scheduled(logger, key.Section, key.KeyId, key.Algorithm,
                Format(key.PublishedFrom), Format(key.PublishedUntil), Format(key.SignsFrom), Format(key.SignsUntil));
            if (key.Role == SigningKeyRole.Next && key.SignsFrom > now && key.SignsFrom - now < leadTime)
            {
                SigningKeyLog.NextWithinLeadTime(logger, key.Section, key.KeyId, key.SignsFrom, key.SignsFrom - now, leadTime);
            }

            if (key.Role == SigningKeyRole.Previous && now >= key.PublishedUntil)
            {
                SigningKeyLog.NoLongerPublished(logger, key.Section, key.KeyId, key.PublishedUntil);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Format(DateTimeOffset instant) =>
        instant == DateTimeOffset.MinValue ? "always" : instant == DateTimeOffset.MaxValue ? "open-ended" : instant.ToString("O", CultureInfo.InvariantCulture);
}
