using FakeMeta.Simulation;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>POST /{phone-number-id}/messages: text, free-form permission request (§3.2), template (§3.3).</summary>
public sealed class MessagesTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync(o => o.PermissionRequestTemplates.Add("callback_ask"));

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_text_message_returns_the_wamid_and_the_resolved_user_ids()
    {
        var user = h.Customer();

        var result = await h.Client.SendTextAsync(h.Number, GraphHarness.To(user), "Hello");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.StartsWith("wamid.", result.Value.MessageId, StringComparison.Ordinal);
        Assert.Equal(user.WaId, result.Value.WaId);
        Assert.Equal(user.UserId, result.Value.UserId);
        Assert.Equal("Hello", (string?)h.Meta.Requests.To("/messages")[0].Json!["text"]!["body"]);
    }

    [Fact]
    public async Task A_permission_request_has_the_documented_interactive_shape()
    {
        var result = await h.Client.SendCallPermissionRequestAsync(h.Number, GraphHarness.To(h.Customer()), "May we call you?");

        Assert.True(result.IsSuccess, result.Error?.Message);
        var body = h.Meta.Requests.To("/messages")[0].Json!;
        Assert.Equal("individual", (string?)body["recipient_type"]);
        Assert.Equal("interactive", (string?)body["type"]);
        Assert.Equal("call_permission_request", (string?)body["interactive"]!["type"]);
        Assert.Equal("call_permission_request", (string?)body["interactive"]!["action"]!["name"]);
        Assert.Equal("May we call you?", (string?)body["interactive"]!["body"]!["text"]);
    }

    [Fact]
    public async Task A_permission_request_without_text_has_no_body()
    {
        await h.Client.SendCallPermissionRequestAsync(h.Number, GraphHarness.To(h.Customer()));

        Assert.Null(h.Meta.Requests.To("/messages")[0].Json!["interactive"]!["body"]);
    }

    [Fact]
    public async Task A_second_permission_request_within_24_hours_fails_with_too_many_requests()
    {
        var to = GraphHarness.To(h.Customer());
        await h.Client.SendCallPermissionRequestAsync(h.Number, to);

        var second = await h.Client.SendCallPermissionRequestAsync(h.Number, to);

        Assert.Equal(138009, second.Error?.Code);
        Assert.Equal(CallingFailureReason.TooManyPermissionRequests, second.Error?.Reason);
        Assert.Contains("Too many permission requests", second.Error?.AgentMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permission_request_to_a_user_with_permanent_permission_fails()
    {
        var result = await h.Client.SendCallPermissionRequestAsync(h.Number,
            GraphHarness.To(h.Customer(permission: PermissionKind.Permanent)));

        Assert.Equal(CallingFailureReason.PermanentPermissionExists, result.Error?.Reason);
    }

    [Fact]
    public async Task A_template_carries_name_language_and_body_parameters()
    {
        var result = await h.Client.SendTemplateAsync(h.Number, GraphHarness.To(h.Customer()),
            new TemplateMessage("order_update", "en_US", ["Ada", "#42"]));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var template = h.Meta.Requests.To("/messages")[0].Json!["template"]!;
        Assert.Equal("order_update", (string?)template["name"]);
        Assert.Equal("en_US", (string?)template["language"]!["code"]);
        var parameters = template["components"]![0]!["parameters"]!.AsArray();
        Assert.Equal(["Ada", "#42"], parameters.Select(p => (string?)p!["text"]));
    }

    [Fact]
    public async Task Free_form_and_template_permission_requests_share_the_limit()
    {
        var to = GraphHarness.To(h.Customer());
        await h.Client.SendTemplateAsync(h.Number, to, new TemplateMessage("callback_ask", "en_US", []));

        var freeForm = await h.Client.SendCallPermissionRequestAsync(h.Number, to);

        Assert.Equal(CallingFailureReason.TooManyPermissionRequests, freeForm.Error?.Reason);
    }

    [Fact]
    public async Task A_message_send_is_not_retried_after_a_500()
    {
        h.Meta.Faults.FailNext("/messages", 1, 500);

        var result = await h.Client.SendTextAsync(h.Number, GraphHarness.To(h.Customer()), "Hi");

        Assert.Equal(CallingFailureReason.MetaUnavailable, result.Error?.Reason);
        Assert.Single(h.Meta.Requests.To("/messages"));
    }
}
