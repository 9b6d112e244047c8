using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Pki;

/// <summary>Key algorithm names as people type them (<c>ecdsa-p256</c>, <c>rsa-2048</c>, …) and the algorithm of an existing certificate.</summary>
public static class KeyAlgorithms
{
    private static readonly Dictionary<string, KeyAlgorithm> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ecdsa-p256"] = KeyAlgorithm.EcdsaP256,
        ["ecdsa-p384"] = KeyAlgorithm.EcdsaP384,
        ["rsa-2048"] = KeyAlgorithm.Rsa2048,
        ["rsa-3072"] = KeyAlgorithm.Rsa3072,
    };

    public static IReadOnlyCollection<string> All => Names.Keys;

    public static bool TryParse(string text, out KeyAlgorithm algorithm) => Names.TryGetValue(text.Trim(), out algorithm);

    public static string Name(this KeyAlgorithm algorithm) => Names.First(pair => pair.Value == algorithm).Key;

    /// <summary>The algorithm of the certificate's key, or null when this PKI can't generate one like it.</summary>
    public static KeyAlgorithm? Of(X509Certificate2 certificate)
    {
        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return ecdsa.KeySize switch
                {
                    256 => KeyAlgorithm.EcdsaP256,
                    384 => KeyAlgorithm.EcdsaP384,
                    _ => null,
                };
            }
        }

        using var rsa = certificate.GetRSAPublicKey();
        return rsa?.KeySize switch
        {
            2048 => KeyAlgorithm.Rsa2048,
            3072 => KeyAlgorithm.Rsa3072,
            _ => null,
        };
    }
}
