package gaps

// Documented is documented.
const Documented = 1

const Undocumented = 2

// Grouped constants: the group's comment documents them all.
const (
	GroupA = "a"
	GroupB = "b"
)

const (
	// SpecDoc has its own comment.
	SpecDoc    = 1
	LineDoc    = 2 // LineDoc has a line comment.
	NoDocA, _  = 3, 4
	unexported = 5
)

var UndocumentedVar = 1

// T is documented.
type T struct {
	Field int // fields are not checked
}

// New is documented.
func New() *T { return &T{} }

func NewUndocumented() *T { return nil }

// Method is documented.
func (T) Method() {}

func (*T) MethodUndocumented() {}

func (T) unexported() {}

type U interface {
	Method() // interface methods are not checked
}

type hidden struct{}

// Exported methods of unexported types are not API.
func (hidden) Exported() {}

func Func() {}
