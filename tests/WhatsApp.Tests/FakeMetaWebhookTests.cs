using System.Net;
using System.Text;
using FakeMeta.Simulation;
using FakeMeta.Webhooks;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>The webhooks the fake sends: §1.1 envelope, §1.3 signature, §1.5–§1.10 shapes.</summary>
public sealed class FakeMetaWebhookTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_user_initiated_connect_reaches_the_receiver_signed_with_the_given_offer()
    {
        var user = h.Customer();
        var offer = SdpRules.MetaOffer();

        var call = await h.Meta.SendUserInitiatedConnectAsync(h.Receiver.Url, "another-secret", user, offer);

        Assert.Equal(200, call.Connect.ResponseStatus);
        var received = Assert.Single(h.Receiver.Received);
        Assert.True(WebhookSignature.IsValid(received.Body, "another-secret", received.Signature));
        Assert.False(WebhookSignature.IsValid(received.Body, GraphHarness.AppSecret, received.Signature));
        Assert.Equal("whatsapp_business_account", (string?)received.Json["object"]);
        Assert.Equal(h.Meta.Options.WabaId, (string?)received.Json["entry"]![0]!["id"]);
        Assert.Equal("calls", received.Field);
        Assert.Equal(h.Number.Value, (string?)received.Value["metadata"]!["phone_number_id"]);
        var connect = received.Value["calls"]![0]!;
        Assert.Equal(("connect", "USER_INITIATED", user.WaId, user.UserId), ((string?)connect["event"], (string?)connect["direction"],
            (string?)connect["from"], (string?)connect["from_user_id"]));
        Assert.Equal(offer, (string?)connect["session"]!["sdp"]);
        Assert.Equal("offer", (string?)connect["session"]!["sdp_type"]);
        Assert.Equal(user.Name, (string?)received.Value["contacts"]![0]!["profile"]!["name"]);
    }

    [Fact]
    public void The_signature_is_the_lowercase_hex_hmac_of_the_raw_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account"}""");
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("s3cret"), body));

        Assert.Equal(expected, WebhookSignature.Compute(body, "s3cret"));
    }

    [Fact]
    public async Task An_answered_business_call_sends_connect_with_meta_answer_then_ringing_then_accepted()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        var started = await h.Client.ConnectAsync(h.Number,
            new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer(), "opaque-1"));

        await h.Meta.Users.AnswerAsync(started.Value!.CallId.Value);

        var received = h.Receiver.Received;
        Assert.All(received, r => Assert.True(WebhookSignature.IsValid(r.Body, GraphHarness.AppSecret, r.Signature)));
        var connect = received[0].Value["calls"]![0]!;
        Assert.Equal(("BUSINESS_INITIATED", "answer", "opaque-1"), ((string?)connect["direction"],
            (string?)connect["session"]!["sdp_type"], (string?)connect["biz_opaque_callback_data"]));
        Assert.Equal(user.UserId, (string?)connect["to_user_id"]);
        Assert.Equal(["RINGING", "ACCEPTED"], received.Skip(1).Select(r => (string?)r.Value["statuses"]![0]!["status"]));
    }

    [Fact]
    public async Task A_business_call_can_be_answered_with_a_given_sdp()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        var started = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));
        var answer = SdpRules.MetaAnswer().Replace("3480", "3484", StringComparison.Ordinal);

        await h.Meta.Users.RingAsync(started.Value!.CallId.Value, answer);

        Assert.Equal(answer, (string?)h.Receiver.Received[0].Value["calls"]![0]!["session"]!["sdp"]);
        Assert.Equal("RINGING", (string?)h.Receiver.Received[1].Value["statuses"]![0]!["status"]);
    }

    [Fact]
    public async Task A_terminate_after_pickup_carries_start_end_and_duration()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        await h.Client.AcceptAsync(h.Number, new CallId(call.CallId), SdpRules.BusinessAnswer());
        h.Clock.Advance(TimeSpan.FromSeconds(75));

        await h.Meta.Users.HangUpAsync(call.CallId);

        var terminate = h.Receiver.Received[^1].Value["calls"]![0]!;
        Assert.Equal(("terminate", "COMPLETED", 75), ((string?)terminate["event"], (string?)terminate["status"], (int?)terminate["duration"]));
        Assert.NotNull(terminate["start_time"]);
        Assert.NotNull(terminate["end_time"]);
    }

    [Fact]
    public async Task A_terminate_without_pickup_has_no_times()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());

        await h.Meta.Users.HangUpAsync(call.CallId);

        var terminate = h.Receiver.Received[^1].Value["calls"]![0]!;
        Assert.Null(terminate["start_time"]);
        Assert.Null(terminate["duration"]);
    }

    [Fact]
    public async Task A_failed_call_terminates_with_the_error_code()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        await h.Client.AcceptAsync(h.Number, new CallId(call.CallId), SdpRules.BusinessAnswer());

        await h.Meta.Users.FailCallAsync(call.CallId, 138021, "No media received");

        var value = h.Receiver.Received[^1].Value;
        Assert.Equal("FAILED", (string?)value["calls"]![0]!["status"]);
        Assert.Equal(138021, (int?)value["errors"]![0]!["code"]);
    }

    [Theory]
    [InlineData(PermissionReplyScenario.TemporaryApproval, "accept", "false", true, "user_action", true, PermissionKind.Temporary)]
    [InlineData(PermissionReplyScenario.PermanentApproval, "accept", "true", false, "user_action", true, PermissionKind.Permanent)]
    [InlineData(PermissionReplyScenario.PermanentFromProfile, "accept", "true", false, "user_action", false, PermissionKind.Permanent)]
    [InlineData(PermissionReplyScenario.Declined, "reject", null, false, "user_action", true, PermissionKind.None)]
    [InlineData(PermissionReplyScenario.AutomaticCallback, "accept", "false", true, "automatic", true, PermissionKind.Temporary)]
    [InlineData(PermissionReplyScenario.AutomaticRevocation, "reject", null, false, "automatic", false, PermissionKind.None)]
    public async Task Permission_replies_follow_the_documented_scenario_matrix(PermissionReplyScenario scenario, string response,
        string? isPermanent, bool hasExpiry, string source, bool hasContext, PermissionKind resulting)
    {
        var user = h.Customer();

        await h.Meta.Users.ReplyToPermissionAsync(user, scenario, "wamid.request-1");

        var message = h.Receiver.Received[^1].Value["messages"]![0]!;
        var reply = message["interactive"]!["call_permission_reply"]!;
        Assert.Equal("call_permission_reply", (string?)message["interactive"]!["type"]);
        Assert.Equal(response, (string?)reply["response"]);
        Assert.Equal(isPermanent, reply["is_permanent"]?.ToJsonString());
        Assert.Equal(hasExpiry, reply["expiration_timestamp"] is not null);
        Assert.Equal(source, (string?)reply["response_source"]);
        Assert.Equal(hasContext, message["context"] is not null);
        Assert.Equal(resulting, h.Meta.Simulator.Permission(user).Kind);
    }

    [Fact]
    public async Task A_user_call_with_callback_permission_on_grants_a_temporary_permission_with_the_call_as_context()
    {
        h.Meta.Simulator.SetCallbackPermission(h.Number.Value, true);
        var user = h.Customer();

        var call = await h.Meta.Users.CallBusinessAsync(user, SdpRules.MetaOffer());

        var message = h.Receiver.Received[^1].Value["messages"]![0]!;
        Assert.Equal(call.CallId, (string?)message["context"]!["id"]);
        Assert.Equal(PermissionKind.Temporary, h.Meta.Simulator.Permission(user).Kind);
    }

    [Fact]
    public async Task An_inbound_text_arrives_under_messages()
    {
        var user = h.Customer();

        await h.Meta.Users.SendTextAsync(user, "Please call me back");

        var message = h.Receiver.Received[^1].Value["messages"]![0]!;
        Assert.Equal(("text", "Please call me back", user.WaId), ((string?)message["type"], (string?)message["text"]!["body"], (string?)message["from"]));
    }

    [Fact]
    public async Task The_fake_graph_refuses_a_request_without_bearer_token_or_messaging_product()
    {
        using var http = new HttpClient { BaseAddress = h.Meta.BaseUrl };
        var path = $"v23.0/{h.Number.Value}/calls";

        using var anonymous = await http.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent("""{"action":"terminate","call_id":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", GraphHarness.Token);
        using var noProduct = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("\"code\":190", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noProduct.StatusCode);
        Assert.Contains("messaging_product", await noProduct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_version_older_than_v17_is_refused()
    {
        using var http = new HttpClient { BaseAddress = h.Meta.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v16.0/{h.Number.Value}/settings");
        request.Headers.Authorization = new("Bearer", GraphHarness.Token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
