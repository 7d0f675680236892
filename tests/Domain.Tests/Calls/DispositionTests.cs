using WhatsAppCalling.Domain.Calls;
using static WhatsAppCalling.Domain.Tests.Calls.CallScenario;

namespace WhatsAppCalling.Domain.Tests.Calls;

public sealed class DispositionTests
{
    private static InboundDriver EndedByAna() => new InboundDriver(Order(Ana)).OnCallWith(Ana).Ends(Ana, 60);

    [Fact]
    public void A_disposition_is_required_from_the_agent_after_the_call()
    {
        var call = EndedByAna();

        Assert.Equal(DispositionStatus.RequiredFrom(Ana), call.State.DispositionStatus);
        Assert.Single(call.Effects.Of<RequestDisposition>(), r => r.Agent == Ana);
    }

    [Fact]
    public void A_disposition_is_recorded_with_its_optional_note_and_goes_on_the_timeline()
    {
        var call = EndedByAna().Dispositions(Ana, DispositionCode.FollowUpRequired, 70, "  call back Monday ");

        var recorded = call.State.DispositionStatus.Recorded!;
        Assert.Equal((DispositionCode.FollowUpRequired, "call back Monday"), (recorded.Code, recorded.Note));
        Assert.Equal(DispositionStage.Recorded, call.State.DispositionStatus.Stage);
        Assert.Contains(CallTimelineKind.DispositionRecorded, call.Effects.Timeline());
    }

    [Fact]
    public void A_disposition_can_be_recorded_only_once()
    {
        var call = EndedByAna().Dispositions(Ana, DispositionCode.Resolved, 70).Dispositions(Ana, DispositionCode.NoAnswer, 71);

        Assert.Equal(CallRefusal.DispositionAlreadyRecorded, call.Last.Refusal);
    }

    [Fact]
    public void A_disposition_before_the_call_ended_is_refused()
    {
        var call = new InboundDriver(Order(Ana)).OnCallWith(Ana).Dispositions(Ana, DispositionCode.Resolved, 30);

        Assert.Equal(CallRefusal.CallNotEnded, call.Last.Refusal);
    }

    [Fact]
    public void Codes_outside_the_configured_list_are_refused_and_configured_custom_codes_are_accepted()
    {
        var rules = CallingRules.Default with { Dispositions = DispositionCatalog.Default.WithCustom("sale") };

        Assert.Equal(CallRefusal.UnknownDispositionCode, EndedByAna().Dispositions(Ana, new DispositionCode("sale"), 70).Last.Refusal);
        var custom = new InboundDriver(Order(Ana), rules: rules).OnCallWith(Ana).Ends(Ana, 60).Dispositions(Ana, new DispositionCode("sale"), 70);
        Assert.Null(custom.Last.Refusal);
    }

    [Fact]
    public void Another_agent_cannot_record_the_disposition()
    {
        Assert.Equal(CallRefusal.NotTheAgentOnTheCall, EndedByAna().Dispositions(Ben, DispositionCode.Resolved, 70).Last.Refusal);
    }

    [Fact]
    public void A_missed_call_needs_no_disposition_because_no_agent_handled_it()
    {
        var call = new InboundDriver(Order(Ana)).Offered().Terminated(10).Dispositions(Ana, DispositionCode.NoAnswer, 20);

        Assert.Equal(CallRefusal.DispositionNotRequired, call.Last.Refusal);
    }
}
