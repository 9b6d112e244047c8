using System.Buffers.Text;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Fapi2;

/// <summary>
/// FAPI 2.0 SP §5.4.1: access tokens carry at least 128 bits of entropy. Our jti is 256 random bits; OpenIddict's
/// own would be a version-4 GUID (16 bytes of which 6 bits are fixed: 122 random bits), which these specs refuse.
/// </summary>
public sealed class AccessTokenIdentifierSpecs(Fapi2Deployment deployment) : IClassFixture<Fapi2Deployment>
{
    [Fact]
    public async Task Every_access_token_identifier_is_256_random_bits_and_unique()
    {
        using var client = deployment.Server.CreateMtlsClient(deployment.Certificate1);
        var identifiers = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            var token = await client.GetAccessTokenAsync(Fapi2Deployment.Client1, Fapi2Deployment.Scope);
            identifiers.Add(OAuth.DecodePayload(token).GetProperty("jti").GetString()!);
        }

        Assert.All(identifiers, jti => Assert.Equal(32, Base64Url.DecodeFromChars(jti).Length));
        Assert.Equal(identifiers.Count, identifiers.Distinct(StringComparer.Ordinal).Count());
        // No position is constant across tokens, as a GUID's version and variant nibbles would be.
        var bytes = identifiers.Select(jti => Base64Url.DecodeFromChars(jti)).ToList();
        Assert.All(Enumerable.Range(0, 32), position => Assert.True(bytes.Select(b => b[position]).Distinct().Count() > 1, $"byte {position} never changes"));
    }
}
