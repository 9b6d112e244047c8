namespace MtlsAuthServer.Pki;

/// <summary>Key types the PKI can create. ECDSA P-256 is the default: signing and TLS handshakes are
/// an order of magnitude cheaper than RSA-2048 (see the benchmark notes in the README).</summary>
public enum KeyAlgorithm
{
    EcdsaP256,
    EcdsaP384,
    Rsa2048,
    Rsa3072,
}
