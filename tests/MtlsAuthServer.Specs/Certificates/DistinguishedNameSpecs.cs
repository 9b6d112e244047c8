using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Specs.Certificates;

/// <summary>RFC 4514 parsing and name comparison: the bug class of string-compared DNs.</summary>
public sealed class DistinguishedNameSpecs
{
    [Theory]
    [InlineData("CN=client,O=Example,C=DE", "CN=client, O=Example, C=DE")]
    [InlineData("CN=client,O=Example,C=DE", "cn=CLIENT,o=example,c=de")]
    [InlineData("CN=client one,O=Example", "CN=  client   one ,O=Example")]
    [InlineData("CN=client,O=Example\\, Inc.,C=US", "CN=client,O=\"Example, Inc.\",C=US")]
    [InlineData("CN=client,O=Example\\2C Inc.,C=US", "CN=client,O=Example\\, Inc.,C=US")]
    [InlineData("CN=Müller,O=Example", "CN=M\\C3\\BCller,O=Example")]
    [InlineData("CN=a+OU=b,O=Example", "OU=b+CN=a,O=Example")]
    [InlineData("2.5.4.3=client,O=Example", "CN=client,O=Example")]
    [InlineData("CN=client,DC=example,DC=com", "CN=client,DC=EXAMPLE,DC=com")]
    public void Equivalent_spellings_are_the_same_name(string left, string right)
    {
        if (right.Contains('"', StringComparison.Ordinal))
        {
            // Quoted values are RFC 2253 legacy syntax, not RFC 4514: refused rather than guessed.
            Assert.False(DistinguishedName.TryParse(right, out _, out _));
            return;
        }

        Assert.Equal(DistinguishedName.Parse(left), DistinguishedName.Parse(right));
    }

    [Theory]
    [InlineData("CN=client,O=Example", "O=Example,CN=client")]
    [InlineData("CN=client,O=Example", "CN=client,O=Example,C=DE")]
    [InlineData("CN=client,O=Example", "CN=client2,O=Example")]
    [InlineData("CN=client,O=Example", "CN=client+O=Example")]
    [InlineData("CN=client,OU=a,O=Example", "CN=client,OU=A B,O=Example")]
    public void Different_names_are_different(string left, string right) =>
        Assert.NotEqual(DistinguishedName.Parse(left), DistinguishedName.Parse(right));

    [Theory]
    [InlineData("")]
    [InlineData("client")]
    [InlineData("XX=client")]
    [InlineData("CN=")]
    [InlineData("CN=client,")]
    [InlineData("CN=client\\")]
    [InlineData("CN=#ZZ")]
    public void Malformed_names_are_refused(string text) => Assert.False(DistinguishedName.TryParse(text, out _, out _));

    [Fact]
    public void A_certificate_subject_equals_its_rfc4514_form_in_reverse_rdn_order()
    {
        // .NET writes the subject most-significant last in X500DistinguishedName's DER when given "C=DE, O=..., CN=..."
        // in reversed order; the comparison must follow the DER, not the display string.
        var subject = new X500DistinguishedName("CN=client, OU=Payments, O=Example, C=DE");

        var name = DistinguishedName.FromX500(subject);

        Assert.Equal(DistinguishedName.Parse("CN=client,OU=Payments,O=Example,C=DE"), name);
        Assert.NotEqual(DistinguishedName.Parse("C=DE,O=Example,OU=Payments,CN=client"), name);
    }
}
