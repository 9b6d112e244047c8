using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using MtlsAuthServer.Certificates.Revocation;
using MtlsAuthServer.Pki;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>
/// Seeded, bounded mutation runs over the CRL and OCSP parsers (CsCheck generators, fixed PCG stream: every run tests the
/// same inputs). Two properties an attacker on the path would try to break: whatever the bytes, the parser answers
/// with a <see cref="CryptographicException"/> or a value, never another exception; and no mutation of a signed
/// "revoked" answer yields an answer that still verifies but no longer says revoked.
/// </summary>
public sealed class RevocationParserPropertySpecs : IDisposable
{
    private const int Iterations = 1_500;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly CertificateAuthority _root = CertificateAuthority.CreateRoot("CN=Property Root", Now.AddDays(-1), Now.AddDays(30));
    private readonly CertificateAuthority _issuing;
    private readonly X509Certificate2 _revoked;

    public RevocationParserPropertySpecs()
    {
        _issuing = _root.CreateSubordinate("CN=Property Issuing CA", Now.AddDays(-1), Now.AddDays(20));
        _revoked = _issuing.Issue(CertificateProfile.ForClient("CN=revoked", Now.AddDays(-1), Now.AddDays(2)));
    }

    /// <summary>One edit of a DER blob: flip a bit, set a byte, cut the tail, insert bytes, or drop a byte.</summary>
    private static Gen<Func<byte[], byte[]>> Mutation { get; } = Gen.Frequency(
        (4, from position in Gen.Double[0, 1] from bit in Gen.Int[0, 7]
            select (Func<byte[], byte[]>)(data => Edit(data, position, copy => copy[At(copy, position)] ^= (byte)(1 << bit)))),
        (3, from position in Gen.Double[0, 1] from value in Gen.Byte
            select (Func<byte[], byte[]>)(data => Edit(data, position, copy => copy[At(copy, position)] = value))),
        (2, from keep in Gen.Double[0, 1] select (Func<byte[], byte[]>)(data => data[..(int)(data.Length * keep)])),
        (1, from position in Gen.Double[0, 1] from inserted in Gen.Byte.Array[1, 8]
            select (Func<byte[], byte[]>)(data => [.. data[..At(data, position)], .. inserted, .. data[At(data, position)..]])),
        (1, from position in Gen.Double[0, 1] select (Func<byte[], byte[]>)(data => [.. data[..At(data, position)], .. data[(At(data, position) + 1)..]])));

    private static Gen<Func<byte[], byte[]>[]> Mutations { get; } = Mutation.Array[1, 4];

    [Fact]
    public void A_mutated_crl_is_refused_or_still_revokes_what_it_revoked()
    {
        var original = TestCrlWriter.Write(new CrlSpec { Revoked = [CrlSpec.Entry(_revoked, Now.AddMinutes(-5))] }, _issuing.Certificate);
        var random = new PCG(21, 20_261_201);
        var refused = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = Apply(Mutations.Generate(random, null, out _), original);
            CertificateRevocationList crl;
            try
            {
                crl = CertificateRevocationList.Parse(bytes);
            }
            catch (CryptographicException)
            {
                refused++;
                continue;
            }

            if (crl.Authenticate(_issuing.Certificate, out _))
            {
                Assert.True(crl.IsRevoked(_revoked), $"case {i}: a mutated CRL still verifies but no longer revokes: {Convert.ToHexString(bytes)}");
            }
        }

        // The run must exercise the parser, not only its first byte check.
        Assert.InRange(refused, Iterations / 2, Iterations);
    }

    [Fact]
    public void A_mutated_ocsp_answer_is_refused_or_still_says_revoked()
    {
        var request = OcspRequest.Create(OcspCertificateId.For(_revoked, _issuing.Certificate));
        var query = OcspQuery.Parse(request.Encode());
        var original = OcspResponseWriter.Write(OcspAnswers.Revoked(_issuing.Certificate, Now), query);
        var random = new PCG(22, 20_261_201);
        var refused = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = Apply(Mutations.Generate(random, null, out _), original);
            try
            {
                var response = OcspResponse.Parse(bytes, request, _issuing.Certificate, Now);
                Assert.True(response.Status == RevocationStatus.Revoked, $"case {i}: a mutated answer verifies as {response.Status}: {Convert.ToHexString(bytes)}");
            }
            catch (CryptographicException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, Iterations / 2, Iterations);
    }

    [Fact]
    public void Random_bytes_are_refused_with_a_cryptographic_exception_only()
    {
        var request = OcspRequest.Create(OcspCertificateId.For(_revoked, _issuing.Certificate));
        var blobs = Gen.Frequency(
            (3, Gen.Byte.Array[0, 512]),
            (1, from body in Gen.Byte.Array[0, 256] select (byte[])[0x30, 0x82, 0xFF, 0xFF, .. body]),
            (1, from body in Gen.Char["ABCDEFGHIJ+/=-\n "].Array[0, 200] select System.Text.Encoding.ASCII.GetBytes("-----BEGIN X509 CRL-----\n" + new string(body) + "\n-----END X509 CRL-----\n")));
        var random = new PCG(23, 20_261_201);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = blobs.Generate(random, null, out _);
            Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse(bytes));
            Assert.Throws<CryptographicException>(() => OcspResponse.Parse(bytes, request, _issuing.Certificate, Now));
        }
    }

    public void Dispose()
    {
        _revoked.Dispose();
        _issuing.Dispose();
        _root.Dispose();
    }

    private static byte[] Apply(Func<byte[], byte[]>[] mutations, byte[] data) => mutations.Aggregate(data, (current, mutate) => current.Length == 0 ? current : mutate(current));

    private static int At(byte[] data, double position) => Math.Min(data.Length - 1, (int)(position * data.Length));

    private static byte[] Edit(byte[] data, double position, Action<byte[]> edit)
    {
        var copy = data.ToArray();
        edit(copy);
        return copy;
    }
}
