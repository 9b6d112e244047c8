using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tokens;

namespace MtlsAuthServer.Tests.Infrastructure;

/// <summary>
/// A token-signing key owned by the test and given to the token server (<c>Tokens:SigningKey:Path</c>), so a test can
/// sign tokens the real server would never issue (no <c>cnf</c>, a malformed <c>cnf</c>) with a key the API trusts.
/// </summary>
public sealed class TokenMinter : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mtls-key-").FullName;
    private readonly SecurityKey _key;

    public TokenMinter()
    {
        KeyPath = Path.Combine(_folder, "signing.key");
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            PemFiles.WriteSecret(KeyPath, ecdsa.ExportPkcs8PrivateKeyPem());
        }

        // The same loader as the server, so the kid matches the one in its JWKS.
        _key = TokenKeys.LoadSigningKey(new KeyFileOptions { Path = KeyPath });
    }

    public string KeyPath { get; }

    /// <summary>An access token as the server would shape it, with <paramref name="cnf"/> as raw JSON (or none).</summary>
    public string Mint(Uri issuer, string clientId, string? cnf, string scope = "api:read api:write", string audience = "sample-resource-api")
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = clientId,
            ["client_id"] = clientId,
            ["scope"] = scope,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (cnf is not null)
        {
            claims["cnf"] = System.Text.Json.JsonDocument.Parse(cnf).RootElement.Clone();
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.AbsoluteUri,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
