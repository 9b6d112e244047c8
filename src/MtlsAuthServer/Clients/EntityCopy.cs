using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MtlsAuthServer.Clients;

/// <summary>
/// A new, untracked entity with the values of every property the EF Core model maps (what
/// <c>PropertyValues.ToObject()</c> yields, navigations left out), compiled once from the model: a copy per request
/// without a context, its change tracker and a property-value array.
/// </summary>
public static class EntityCopy
{
    public static Func<TEntity, TEntity> Compile<TEntity>(IModel model) where TEntity : class, new()
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var source = Expression.Parameter(typeof(TEntity), "source");
        var bindings = entityType.GetProperties()
            .Select(property => property.PropertyInfo as MemberInfo ?? property.FieldInfo
                ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property.Name} is a shadow property: it cannot be copied."))
            .Select(member => Expression.Bind(member, Expression.MakeMemberAccess(source, member)));
        return Expression.Lambda<Func<TEntity, TEntity>>(Expression.MemberInit(Expression.New(typeof(TEntity)), bindings), source).Compile();
    }
}
