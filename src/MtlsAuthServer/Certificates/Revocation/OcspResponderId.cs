using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates.Revocation;

/// <summary>ResponderID (RFC 6960 §4.2.2.3): byName [1] EXPLICIT Name, or byKey [2] EXPLICIT OCTET STRING (SHA-1 of the subjectPublicKey bits).</summary>
internal sealed record OcspResponderId(byte[]? NameDer, byte[]? KeyHash)
{
    public static OcspResponderId Read(AsnReader tbs)
    {
        var tag = tbs.PeekTag();
        var wrapper = tbs.ReadSequence(tag);
        var id = tag.TagValue == 1 ? new OcspResponderId(wrapper.ReadEncodedValue().ToArray(), null) : new OcspResponderId(null, wrapper.ReadOctetString());
        wrapper.ThrowIfNotEmpty();
        return id;
    }

    // SHA-1 here only names a key (RFC 6960 §4.2.2.3 fixes the algorithm); no security rests on its collision resistance.
#pragma warning disable CA5350
    public bool Names(X509Certificate2 signer) => NameDer is { } name
        ? name.AsSpan().SequenceEqual(signer.SubjectName.RawData) || DistinguishedName.FromX500(new X500DistinguishedName(name)).Equals(DistinguishedName.FromX500(signer.SubjectName))
        : SHA1.HashData(signer.PublicKey.EncodedKeyValue.RawData).AsSpan().SequenceEqual(KeyHash);
#pragma warning restore CA5350
}
