package search_test

import (
	"context"
	"errors"
	"testing"

	"github.com/promptsite/promptsite/site/internal/testctx"
	"github.com/promptsite/promptsite/site/model"
	"github.com/promptsite/promptsite/site/search"
)

// TestPostingsAreBleves checks that the static index is bleve's: the
// postings that New gathers from bleve's analysis, on every core, are
// those that bleve's own index holds for the same documents.
func TestPostingsAreBleves(t *testing.T) {
	sites := []struct {
		name string
		s    *model.Site
	}{{"seed", seedSite(t)}}
	if !testing.Short() {
		sites = append(sites, struct {
			name string
			s    *model.Site
		}{"generated", genSite(seedSite(t), 20, 50)})
	}
	for _, tt := range sites {
		ix, err := search.New(tt.s)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.CheckPostings(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		ix.Close()
	}
}

// TestBuildStops indexes a library of 10,000 prompts with a context that
// is done after a few questions: the index stops partway, with its error.
func TestBuildStops(t *testing.T) {
	if _, err := search.BuildContext(testctx.After(3), bigSite(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("BuildContext with a context done partway = %v; want context.Canceled", err)
	}
}
