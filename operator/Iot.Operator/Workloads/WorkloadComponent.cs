namespace Iot.Operator.Workloads;

/// <summary>The workloads a namespace can run (DESIGN.md §1) and what each needs from the cluster.</summary>
public enum WorkloadComponent
{
    /// <summary>The MQTT broker; runs while the namespace has Devices or EdgeRules.</summary>
    Broker,

    /// <summary>Telemetry ingestion and the rule engine; runs while the namespace has Devices or EdgeRules.</summary>
    Ingest,

    /// <summary>The analytics API; runs while the namespace has Rooms.</summary>
    Analytics,

    /// <summary>Alert routing and delivery; runs while the namespace has AlertRoutes.</summary>
    Notify,
}
