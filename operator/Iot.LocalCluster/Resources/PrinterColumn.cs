namespace Iot.LocalCluster.Resources;

/// <summary>A column of <c>kubectl get</c>: a CRD's additionalPrinterColumn.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description, int Priority);
