using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace MtlsAuthServer.CertificateBinding;

/// <summary>
/// RFC 8705 §3: a resource server accepts a certificate-bound token only when the SHA-256 thumbprint of the
/// certificate the client presented on this TLS connection equals the token's <c>cnf.x5t#S256</c>. The value is
/// read strictly (base64url, no padding, exactly 32 bytes: hex, SHA-1 or padded forms are malformed) and compared
/// as bytes in fixed time.
/// </summary>
public static class CertificateBindingVerifier
{
    private const string ThumbprintMember = "x5t#S256";

    /// <param name="confirmationClaims">Every <c>cnf</c> value of the validated token, as JSON text (normally zero or one).</param>
    /// <param name="certificate">The client certificate of the connection the token arrived on.</param>
    /// <param name="requireBinding">When false, a token without <c>cnf</c> is accepted as a plain bearer token.</param>
    public static BindingCheck Verify(IReadOnlyList<string> confirmationClaims, X509Certificate2? certificate, bool requireBinding = true)
    {
        ArgumentNullException.ThrowIfNull(confirmationClaims);
        if (confirmationClaims.Count == 0 && !requireBinding)
        {
            return new BindingCheck(null, null, certificate is null ? null : CertificateThumbprint.Sha256(certificate));
        }

        if (certificate is null)
        {
            return new BindingCheck(BindingFailure.NoClientCertificate, null, null);
        }

        Span<byte> presented = stackalloc byte[CertificateThumbprint.Sha256Length];
        SHA256.HashData(certificate.RawDataMemory.Span, presented);
        var presentedThumbprint = Base64Url.EncodeToString(presented);
        if (confirmationClaims.Count == 0)
        {
            return new BindingCheck(BindingFailure.TokenNotBound, null, presentedThumbprint);
        }

        Span<byte> bound = stackalloc byte[CertificateThumbprint.Sha256Length];
        if (confirmationClaims.Count != 1 || !TryReadThumbprint(confirmationClaims[0], bound, out var boundThumbprint))
        {
            return new BindingCheck(BindingFailure.ConfirmationMalformed, null, presentedThumbprint);
        }

        return CryptographicOperations.FixedTimeEquals(presented, bound)
            ? new BindingCheck(null, boundThumbprint, presentedThumbprint)
            : new BindingCheck(BindingFailure.BindingMismatch, boundThumbprint, presentedThumbprint);
    }

    /// <summary>Reads the one <c>x5t#S256</c> member of a <c>cnf</c> JSON object into <paramref name="hash"/>.</summary>
    public static bool TryReadThumbprint(string confirmationJson, Span<byte> hash, out string thumbprint)
    {
        thumbprint = string.Empty;
        if (hash.Length != CertificateThumbprint.Sha256Length || string.IsNullOrWhiteSpace(confirmationJson))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(confirmationJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            string? value = null;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!member.NameEquals(ThumbprintMember))
                {
                    continue;
                }

                // A duplicated member would let two parsers disagree on which value counts.
                if (value is not null || member.Value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                value = member.Value.GetString();
            }

            // 32 bytes encode to exactly 43 base64url characters without padding.
            if (value is not { Length: 43 }
                || !Base64Url.IsValid(value.AsSpan(), out var decodedLength) || decodedLength != CertificateThumbprint.Sha256Length
                || !Base64Url.TryDecodeFromChars(value.AsSpan(), hash, out var written) || written != CertificateThumbprint.Sha256Length)
            {
                return false;
            }

            thumbprint = value;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
