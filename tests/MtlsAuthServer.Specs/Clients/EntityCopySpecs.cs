using Microsoft.EntityFrameworkCore;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Data;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Specs.Clients;

/// <summary>
/// The registration snapshots hand each request its own copy of a client: the copy must carry every property the
/// model maps (a property OpenIddict adds in a later version included), exactly as EF Core's own
/// <c>PropertyValues.ToObject()</c> would, and share no instance with the kept one.
/// </summary>
public sealed class EntityCopySpecs
{
    [Fact]
    public void A_copy_has_every_mapped_property_of_the_source_as_EF_Cores_own_copy_has()
    {
        using var database = new SqliteAuthServerDbContext(
            new DbContextOptionsBuilder<SqliteAuthServerDbContext>().UseSqlite("Data Source=:memory:").UseOpenIddict().Options);
        var properties = database.Model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreApplication))!.GetProperties().ToList();
        var source = new OpenIddictEntityFrameworkCoreApplication();
        foreach (var property in properties)
        {
            Assert.Equal(typeof(string), property.ClrType); // a new type needs a value below
            property.PropertyInfo!.SetValue(source, "value of " + property.Name);
        }

        var copy = EntityCopy.Compile<OpenIddictEntityFrameworkCoreApplication>(database.Model)(source);
        var efCopy = database.Entry(source).CurrentValues.ToObject();

        Assert.NotSame(source, copy);
        Assert.NotEmpty(properties);
        Assert.All(properties, property =>
        {
            Assert.Equal("value of " + property.Name, property.PropertyInfo!.GetValue(copy));
            Assert.Equal(property.PropertyInfo.GetValue(efCopy), property.PropertyInfo.GetValue(copy));
        });
        Assert.Equal(EntityState.Detached, database.Entry(copy).State);
    }
}
