package knowledge

// Topology ids: the three deployments ucpilot knows, defined here once
// (profiles, progress files, checks and JSON reports use them; the profile
// package names them too).
const (
	TopologyOnPrem    = "onprem"    // Exchange Server + Lync/SfB Server
	TopologyHybrid    = "hybrid"    // Lync/SfB Server + Exchange Online
	TopologySfBOnline = "sfbonline" // Exchange Server + SfB Online / Teams
)

// TopologyIDs returns the topology ids in the order the product presents
// them (a new slice each call).
func TopologyIDs() []string { return []string{TopologyOnPrem, TopologyHybrid, TopologySfBOnline} }

// StepSides returns the products a step may change.
func StepSides() []string { return []string{"exchange", "sfb", "tenant", "dns", "pki"} }
