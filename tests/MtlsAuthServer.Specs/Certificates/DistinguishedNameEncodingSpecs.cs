using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Specs.Certificates;

/// <summary>
/// One RFC 4514 reader for registrations and for the PKI: a name written as text is encoded to the DER a certificate
/// carries by the same rules that parse a <c>tls_client_auth_subject_dn</c>, so the certificate's subject equals the
/// registered name, and the printed form reads back as the same name.
/// </summary>
public sealed class DistinguishedNameEncodingSpecs
{
    public static TheoryData<string> Names =>
    [
        "CN=payments,OU=Treasury,O=Test Org,C=DE",
        "CN=payments, OU=Treasury, O=Test Org",
        "CN=client\\, one,O=Example\\, Inc.",
        "CN=client\\2C one,O=Example",
        "CN=M\\C3\\BCller,O=Beispiel GmbH,C=DE",
        "CN=Müller,O=Beispiel GmbH",
        "CN=a+OU=b,O=Example",
        "OU=b+CN=a,O=Example",
        "CN=client,DC=example,DC=com",
        "2.5.4.3=client,O=Example",
        "CN=#0C06636C69656E74,O=Example",
        "CN=\\ leading and trailing\\ ,O=Example",
        "CN=client,E=ops@example.com",
        "SERIALNUMBER=12345,CN=device,O=Example",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void An_encoded_name_reads_back_as_the_name_that_was_written(string text)
    {
        var encoded = DistinguishedName.Encode(text);

        Assert.Equal(DistinguishedName.Parse(text), DistinguishedName.FromX500(encoded)); // strict DER read
        Assert.Equal(DistinguishedName.Parse(text), DistinguishedName.Parse(DistinguishedName.Format(encoded)));
    }

    [Fact]
    public void Values_get_the_string_types_rfc_5280_requires()
    {
        var encoded = DistinguishedName.Encode("CN=client,O=Example,DC=example,C=DE");

        Assert.Equal(
            [("2.5.4.6", UniversalTagNumber.PrintableString), ("0.9.2342.19200300.100.1.25", UniversalTagNumber.IA5String),
             ("2.5.4.10", UniversalTagNumber.UTF8String), ("2.5.4.3", UniversalTagNumber.UTF8String)],
            StringTypes(encoded));
    }

    [Fact]
    public void A_multi_valued_rdn_is_written_in_der_set_order_whatever_order_the_text_uses()
    {
        Assert.Equal(DistinguishedName.Encode("CN=a+OU=b,O=Example").RawData, DistinguishedName.Encode("OU=b+CN=a,O=Example").RawData);
    }

    [Fact]
    public void The_certificate_authority_issues_exactly_the_registered_name()
    {
        const string Registered = "CN=client\\2C one+OU=Payments,O=Example\\, Inc.,C=DE";
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.CreateRoot("CN=Spec Root, O=Example", now.AddDays(-1), now.AddDays(2));
        using var certificate = ca.Issue(CertificateProfile.ForClient(Registered, now.AddDays(-1), now.AddDays(1)));

        Assert.Equal(DistinguishedName.Parse(Registered), DistinguishedName.FromX500(certificate.SubjectName));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("client", "type=value")]
    [InlineData("XX=client", "unknown attribute type")]
    [InlineData("CN=#0C", "#hex")] // a tag without its length
    [InlineData("CN=#0C0161FF", "#hex")] // trailing bytes after the value
    [InlineData("CN=#0C0", "#hex")]
    [InlineData("C=D\\C3\\BC", "PrintableString")] // C must be PrintableString
    [InlineData("CN=client,DC=bücher", "IA5String")]
    [InlineData("CN=\"quoted\"", "quote")]
    public void A_name_that_cannot_be_read_or_written_is_refused_with_the_reason_not_an_exception(string text, string reason)
    {
        Assert.False(DistinguishedName.TryEncode(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static List<(string Oid, UniversalTagNumber Type)> StringTypes(X500DistinguishedName name)
    {
        var types = new List<(string, UniversalTagNumber)>();
        var sequence = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        while (sequence.HasData)
        {
            var attribute = sequence.ReadSetOf().ReadSequence();
            types.Add((attribute.ReadObjectIdentifier(), (UniversalTagNumber)attribute.PeekTag().TagValue));
        }

        return types;
    }
}
