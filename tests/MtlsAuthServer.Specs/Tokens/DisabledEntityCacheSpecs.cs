using Microsoft.Extensions.DependencyInjection;
using MtlsAuthServer.Specs.Support;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace MtlsAuthServer.Specs.Tokens;

/// <summary>
/// With entity caching disabled, OpenIddict's managers must get one stateless cache for the whole process, not a
/// MemoryCache built per request, and it must never answer a lookup (a stale registration would outlive a disabled
/// client): every find misses, so the manager reads its store.
/// </summary>
public sealed class DisabledEntityCacheSpecs(ConfigurationMaterial material) : IClassFixture<ConfigurationMaterial>
{
    [Fact]
    public async Task Every_manager_of_every_request_gets_the_same_cache_and_it_never_finds_anything()
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>());
        object[] CachesOfOneRequest()
        {
            using var scope = server.Services.CreateScope();
            return
            [
                scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication>>(),
                scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationCache<OpenIddictEntityFrameworkCoreAuthorization>>(),
                scope.ServiceProvider.GetRequiredService<IOpenIddictScopeCache<OpenIddictEntityFrameworkCoreScope>>(),
                scope.ServiceProvider.GetRequiredService<IOpenIddictTokenCache<OpenIddictEntityFrameworkCoreToken>>(),
            ];
        }

        var first = CachesOfOneRequest();
        var second = CachesOfOneRequest();
        for (var i = 0; i < first.Length; i++)
        {
            Assert.Equal("DisabledEntityCache`1", first[i].GetType().Name);
            Assert.Same(first[i], second[i]);
        }

        var applications = (IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication>)first[0];
        var client = new OpenIddictEntityFrameworkCoreApplication { Id = "1", ClientId = "client1" };
        await applications.AddAsync(client, CancellationToken.None);
        Assert.Null(await applications.FindByClientIdAsync("client1", CancellationToken.None));
        Assert.Null(await applications.FindByIdAsync("1", CancellationToken.None));
        Assert.Empty(await applications.FindByRedirectUriAsync("https://client1.example/", CancellationToken.None).ToListAsync());

        var tokens = (IOpenIddictTokenCache<OpenIddictEntityFrameworkCoreToken>)first[3];
        await tokens.AddAsync(new OpenIddictEntityFrameworkCoreToken { Id = "t1", ReferenceId = "r1" }, CancellationToken.None);
        Assert.Null(await tokens.FindByIdAsync("t1", CancellationToken.None));
        Assert.Null(await tokens.FindByReferenceIdAsync("r1", CancellationToken.None));
    }
}
