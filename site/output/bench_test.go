package output

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkPublish publishes a site of 10,000 files over the last one,
// every other time with each file changed: the staging, the swap, and the
// removal of the old site.
//
//	go test ./site/output -run '^$' -bench Publish -benchtime 20x
func BenchmarkPublish(b *testing.B) {
	trees := make([]*Tree, 2)
	for v := range trees {
		trees[v] = NewTree()
		for i := range 10000 {
			name := fmt.Sprintf("c%d/p%d/index.html", i%100, i)
			if err := trees[v].Add(name, fmt.Appendf(nil, "<p>prompt %d, version %d</p>", i, v)); err != nil {
				b.Fatal(err)
			}
		}
	}
	dir := filepath.Join(b.TempDir(), "public")
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if err := Publish(ctx, trees[i%2], dir); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRepublishOneEdit publishes a site of 10,000 files over the last
// one with one file changed each time, as an author rebuilds after an edit.
//
//	go test ./site/output -run '^$' -bench RepublishOneEdit -benchtime 20x
func BenchmarkRepublishOneEdit(b *testing.B) {
	tree := func(edit int) *Tree {
		t := NewTree()
		for i := range 10000 {
			text := fmt.Sprintf("<p>prompt %d</p>", i)
			if i == 5000 {
				text = fmt.Sprintf("<p>prompt %d, edit %d</p>", i, edit)
			}
			if err := t.Add(fmt.Sprintf("c%d/p%d/index.html", i%100, i), []byte(text)); err != nil {
				b.Fatal(err)
			}
		}
		return t
	}
	trees := []*Tree{tree(0), tree(1)}
	dir := filepath.Join(b.TempDir(), "public")
	ctx := context.Background()
	for i := range 2 {
		if err := Publish(ctx, trees[i], dir); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if err := Publish(ctx, trees[i%2], dir); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
