package webhook

import "testing"

func recorded(t *testing.T, name string) *Event {
	t.Helper()
	for _, d := range loadDeliveries(t) {
		if d.name[:4] == name {
			ev, err := Decode(d.body)
			if err != nil {
				t.Fatal(err)
			}
			return ev
		}
	}
	t.Fatalf("no delivery %s", name)
	return nil
}

// The push-mode replication of the recording (whk1 -> whk2) arrives with
// the namespaces swapped; Namespaces puts them back. A pull-mode payload
// (the remote registry as source) is right as sent.
func TestReplicationNamespaces(t *testing.T) {
	rep := recorded(t, "w096").Data.Replication
	if rep.SrcResource.Namespace != "whk2" {
		t.Fatalf("the recording changed: src namespace %q", rep.SrcResource.Namespace)
	}
	if src, dest := rep.Namespaces(); src != "whk1" || dest != "whk2" {
		t.Errorf("push mode: %s -> %s, want whk1 -> whk2", src, dest)
	}
	pull := ReplicationData{SrcResource: &ReplicationResource{RegistryName: "hub", Namespace: "library"},
		DestResource: &ReplicationResource{Namespace: "mirror"}}
	if src, dest := pull.Namespaces(); src != "library" || dest != "mirror" {
		t.Errorf("pull mode: %s -> %s", src, dest)
	}
	if src, dest := (&ReplicationData{}).Namespaces(); src != "" || dest != "" {
		t.Errorf("no resources: %q %q", src, dest)
	}
}

func TestResourceTagged(t *testing.T) {
	for name, want := range map[string]bool{
		"w011": true,  // push of app:1.0
		"w022": false, // push by digest: the digest in tag
		"w063": false, // scan of an index's child: no tag
	} {
		if got := recorded(t, name).Data.Resources[0].Tagged(); got != want {
			t.Errorf("%s: Tagged() = %v", name, got)
		}
	}
}

func TestCloudEventsTypeMapping(t *testing.T) {
	n := 0
	for _, d := range loadDeliveries(t) {
		if d.format != "cloudevents" {
			continue
		}
		ev, err := Decode(d.body)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type.CloudEventsType() != ev.CloudEventsType {
			t.Errorf("%s: %s maps to %q, sent %q", d.name, ev.Type, ev.Type.CloudEventsType(), ev.CloudEventsType)
		}
		n++
	}
	if EventType("NO_SUCH").CloudEventsType() != "" || n != 59 {
		t.Errorf("%d CloudEvents deliveries checked", n)
	}
}
