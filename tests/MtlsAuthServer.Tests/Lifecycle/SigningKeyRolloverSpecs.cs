using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// Signing-key rollover without an outage (Tokens:SigningKey:Next / Previous): the next key is in the JWKS before it
/// signs, the replaced key stays there until its last token has expired, and the real resource API accepts tokens of
/// both keys across the switch. Both hosts' clocks are moved together; nothing waits on the wall clock.
/// </summary>
public sealed class SigningKeyRolloverSpecs : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-rollover-").FullName;
    private readonly AdjustableTimeProvider _clock = new();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Tokens_of_the_old_and_the_new_key_both_validate_at_the_resource_api_across_the_rollover()
    {
        var signsFrom = _start.AddHours(2);
        using var server = StartServer(settings => Next(settings, NewKey(), signsFrom, leadTime: "03:00:00"));
        using var api = ResourceApiHost.Start(_pki, server, "Local");
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = server.CreateMtlsClient(certificate);
        var published = (await PublishedKidsAsync(server)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, published.Count); // the next key is published before the resource API first fetches the JWKS

        MoveTo(api, signsFrom - TimeSpan.FromMinutes(1));
        var beforeRollover = await client.GetAccessTokenAsync("payments");
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, certificate, beforeRollover));

        MoveTo(api, signsFrom + TimeSpan.FromMinutes(1));
        var afterRollover = await client.GetAccessTokenAsync("payments");

        Assert.NotEqual(Kid(beforeRollover), Kid(afterRollover));
        Assert.Equal(published, new[] { Kid(beforeRollover), Kid(afterRollover) }.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, certificate, beforeRollover)); // signed by the old key, still in flight
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, certificate, afterRollover));
        Assert.Equal(published, (await PublishedKidsAsync(server)).Order(StringComparer.Ordinal)); // both during the overlap

        // The old key's last token expired at signsFrom + lifetime; after the margin it is no longer published.
        MoveTo(api, signsFrom + Lifetime + TimeSpan.FromMinutes(6));
        Assert.Equal([Kid(afterRollover)], await PublishedKidsAsync(server));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(api, certificate, await client.GetAccessTokenAsync("payments")));
    }

    [Fact]
    public async Task The_next_key_is_published_lead_time_before_it_signs_and_not_earlier()
    {
        var signsFrom = _start.AddHours(3);
        using var server = StartServer(settings => Next(settings, NewKey(), signsFrom, leadTime: "01:00:00"));
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = server.CreateMtlsClient(certificate);
        var current = Kid(await client.GetAccessTokenAsync("payments"));

        Assert.Equal([current], await PublishedKidsAsync(server));

        _clock.Offset = signsFrom - _start - TimeSpan.FromMinutes(59);
        Assert.Equal(2, (await PublishedKidsAsync(server)).Count);
        Assert.Equal(current, Kid(await client.GetAccessTokenAsync("payments"))); // published, not yet signing

        _clock.Offset = signsFrom - _start;
        Assert.NotEqual(current, Kid(await client.GetAccessTokenAsync("payments")));
    }

    [Fact]
    public async Task A_previous_key_stays_published_until_the_last_token_it_signed_has_expired()
    {
        var retiredAt = _start - TimeSpan.FromMinutes(3);
        using var server = StartServer(settings =>
        {
            settings["Tokens:SigningKey:Previous:0:Path"] = NewKey();
            settings["Tokens:SigningKey:Previous:0:RetiredAt"] = retiredAt.ToString("O", CultureInfo.InvariantCulture);
        });

        Assert.Equal(2, (await PublishedKidsAsync(server)).Count);

        _clock.Offset = retiredAt + Lifetime + TimeSpan.FromMinutes(5) - _start;
        Assert.Single(await PublishedKidsAsync(server));
    }

    [Fact]
    public void A_next_key_without_signs_from_refuses_to_start_naming_the_key()
    {
        var exception = Assert.ThrowsAny<Exception>(() => StartServer(settings => settings["Tokens:SigningKey:Next:Path"] = NewKey()).Dispose());

        Assert.Contains("Tokens:SigningKey:Next:SignsFrom", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_key_configured_twice_refuses_to_start()
    {
        var key = NewKey();
        var exception = Assert.ThrowsAny<Exception>(() => StartServer(settings =>
        {
            settings["Tokens:SigningKey:Path"] = key;
            Next(settings, key, _start.AddDays(1), leadTime: "1.00:00:00");
        }).Dispose());

        Assert.Contains("configured twice", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pki_tools_next_key_and_printed_configuration_are_published_by_the_server()
    {
        var path = Path.Combine(_folder, "next-signing.key");
        var run = await PkiToolRun.SucceedAsync("signing-key", "--path", path, "--lead-time", "2h");
        var printed = run.Lines.Where(line => line.StartsWith("Tokens__SigningKey__Next__", StringComparison.Ordinal))
            .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0].Replace("__", ":", StringComparison.Ordinal), pair => pair[1]);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        using var server = StartServer(settings =>
        {
            foreach (var (key, value) in printed)
            {
                settings[key] = value;
            }
        });
        Assert.Equal(2, (await PublishedKidsAsync(server)).Count);
        Assert.InRange(DateTimeOffset.Parse(printed["Tokens:SigningKey:Next:SignsFrom"], CultureInfo.InvariantCulture), _start.AddHours(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(2));
    }

    private TokenServerHost StartServer(Action<TokenServerSettings> configure) => TokenServerHost.Start(_pki, settings =>
    {
        settings.TimeProvider = _clock;
        settings["Tokens:AccessTokenLifetime"] = Lifetime.ToString();
        settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
        configure(settings);
    });

    private static void Next(TokenServerSettings settings, string path, DateTimeOffset signsFrom, string leadTime)
    {
        settings["Tokens:SigningKey:Next:Path"] = path;
        settings["Tokens:SigningKey:Next:SignsFrom"] = signsFrom.ToString("O", CultureInfo.InvariantCulture);
        settings["Tokens:SigningKey:LeadTime"] = leadTime;
    }

    /// <summary>Moves the token server's and the resource API's clocks to the same instant.</summary>
    private void MoveTo(ResourceApiHost api, DateTimeOffset instant)
    {
        _clock.Offset = instant - _start;
        api.Clock.Offset = instant - _start;
    }

    private string NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.key");
        PemFiles.WriteSecret(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private async Task<List<string>> PublishedKidsAsync(TokenServerHost server)
    {
        using var client = MtlsHttpClient.Create(_pki, null);
        var jwks = await client.GetFromJsonAsync<JsonElement>(new Uri(server.PublicUri, ".well-known/jwks"));
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    private static async Task<HttpStatusCode> CallAsync(ResourceApiHost api, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string token)
    {
        using var client = api.CreateMtlsClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/whoami");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Kid(string jwt) =>
        JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(jwt.Split('.')[0])).GetProperty("kid").GetString()!;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
