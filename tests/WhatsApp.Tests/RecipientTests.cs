using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>Addressing a customer by number (<c>to</c>) or BSUID (<c>recipient</c>), §7.2.</summary>
public sealed class RecipientTests
{
    [Fact]
    public void A_bsuid_contact_key_addresses_by_recipient()
    {
        var recipient = Recipient.ForContact(ContactKey.ForBsuid("US.13491208655302741918"));

        Assert.Equal(("US.13491208655302741918", (PhoneNumber?)null), (recipient.Bsuid, recipient.Phone));
    }

    [Fact]
    public void A_phone_contact_key_addresses_by_number()
    {
        var recipient = Recipient.ForContact(ContactKey.ForPhone(PhoneNumber.Parse("+49 151 12345678")));

        Assert.Equal("4915112345678", recipient.Phone?.Digits);
        Assert.Null(recipient.Bsuid);
    }

    [Fact]
    public void A_recipient_needs_a_number_or_a_bsuid() =>
        Assert.Throws<ArgumentException>(() => new Recipient(null, null));

    [Fact]
    public void A_recipient_refuses_a_bsuid_of_the_wrong_shape() =>
        Assert.Throws<ArgumentException>(() => Recipient.ForBsuid("not a bsuid"));
}
