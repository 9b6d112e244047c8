using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary><c>Profile: Fapi2</c> refuses to start with configuration below FAPI 2.0, naming the key; signs ES256 or PS256 only.</summary>
public sealed class Fapi2ProfileConfigurationSpecs : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-fapi2-").FullName;

    [Fact]
    public void An_access_token_lifetime_above_ten_minutes_refuses_to_start()
    {
        AssertRefused("Tokens:AccessTokenLifetime", settings => settings["Tokens:AccessTokenLifetime"] = "00:30:00");
    }

    [Fact]
    public void An_ec_signing_key_off_p256_refuses_to_start()
    {
        AssertRefused("Tokens:SigningKey:Path", settings => settings["Tokens:SigningKey:Path"] = EcKey(ECCurve.NamedCurves.nistP384));
    }

    [Fact]
    public void An_rsa_signing_key_below_2048_bits_refuses_to_start()
    {
        AssertRefused("Tokens:SigningKey:Path", settings => settings["Tokens:SigningKey:Path"] = RsaKey(1024));
    }

    [Fact]
    public void A_next_key_off_the_profile_refuses_to_start_naming_its_key()
    {
        AssertRefused("Tokens:SigningKey:Next:Path", settings =>
        {
            settings["Tokens:SigningKey:Next:Path"] = EcKey(ECCurve.NamedCurves.nistP521);
            settings["Tokens:SigningKey:Next:SignsFrom"] = DateTimeOffset.UtcNow.AddDays(2).ToString("O");
        });
    }

    [Fact]
    public void An_unknown_profile_refuses_to_start_naming_the_key()
    {
        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(_pki, settings => settings["Profile"] = "Fapi3").Dispose());

        Assert.Contains("Profile: 'Fapi3'", exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Fapi2", "PS256")]
    [InlineData("Standard", "RS256")]
    public async Task An_rsa_signing_key_signs_ps256_in_the_profile_and_rs256_outside_it(string profile, string algorithm)
    {
        using var host = TokenServerHost.Start(_pki, settings =>
        {
            settings["Profile"] = profile;
            settings["Tokens:SigningKey:Path"] = RsaKey(2048);
            settings.AddTlsClient("payments", "tls_client_auth_subject_dn", "CN=payments,O=Test Org");
        });
        using var certificate = _pki.IssueClient("CN=payments, O=Test Org");
        using var client = host.CreateMtlsClient(certificate);

        var token = await client.GetAccessTokenAsync("payments");

        var header = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal(algorithm, header.GetProperty("alg").GetString());
        using var jwksClient = MtlsHttpClient.Create(_pki, null);
        var key = Assert.Single((await jwksClient.GetFromJsonAsync<JsonElement>(new Uri(host.PublicUri, ".well-known/jwks"))).GetProperty("keys").EnumerateArray());
        Assert.Equal(algorithm, key.GetProperty("alg").GetString());
    }

    private void AssertRefused(string key, Action<TokenServerSettings> configure)
    {
        var exception = Assert.ThrowsAny<Exception>(() => TokenServerHost.Start(_pki, settings =>
        {
            settings["Profile"] = "Fapi2";
            configure(settings);
        }).Dispose());

        Assert.Contains(key, exception.ToString(), StringComparison.Ordinal);
    }

    private string EcKey(ECCurve curve)
    {
        using var key = ECDsa.Create(curve);
        return Write(key.ExportPkcs8PrivateKeyPem());
    }

    private string RsaKey(int bits)
    {
        using var key = RSA.Create(bits);
        return Write(key.ExportPkcs8PrivateKeyPem());
    }

    private string Write(string pem)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.key");
        PemFiles.WriteSecret(path, pem);
        return path;
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
