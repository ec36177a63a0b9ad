package gaps

type (
	// Grouped is documented.
	Grouped             int
	GroupedUndocumented int
)
