namespace WhatsAppCalling.Domain.Primitives;

/// <summary>Meta's call id (<c>wacid.…</c>): opaque and case-sensitive (whatsapp-calling-api.md §7.1).</summary>
public readonly record struct CallId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The id of an agent; in Azure the Entra object id, locally the development sign-in name.</summary>
public readonly record struct AgentId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>Meta's id of a business phone number (routes webhooks, scopes consent and timelines).</summary>
public readonly record struct BusinessNumberId(string Value)
{
    public override string ToString() => Value;
}
