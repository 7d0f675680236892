// Relay forwarding benchmark (docs/PERFORMANCE.md, "Media relay: forwarding").
//   inprocess [packets-per-round] [rounds]   the forwarding path with no sockets: SRTP unprotect, bridge rewrite,
//                                            SRTP protect, per packet, both directions, single thread
//   loopback <calls> [seconds]               a real relay process and N bridged calls over loopback UDP at
//                                            50 packets/s each way per leg; the relay process's CPU per packet
//   relay                                    (internal) the relay process the loopback run starts
using Relay.Bench;

string mode = args.Length > 0 ? args[0] : "inprocess";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
return mode switch
{
    "inprocess" => await InProcessForwarding.RunAsync(Arg(1, 200_000), Arg(2, 5)),
    "loopback" => await LoopbackRun.RunAsync(Arg(1, 50), Arg(2, 20)),
    "relay" => await LoopbackRun.RunRelayAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Relay.Bench inprocess [packets] [rounds] | loopback <calls> [seconds]");
    return 2;
}
