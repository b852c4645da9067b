package render

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"github.com/promptsite/promptsite/site/model"
)

// TestHashersMatchValue fills pages, prompts, categories and sites with
// random values, field by field, and holds what their hashers write to
// what keyer.value writes through reflect: the same bytes, so the same
// sums.
func TestHashersMatchValue(t *testing.T) {
	cats := []*model.Category{{Title: "One", Slug: "one"}, {Title: "Two", Slug: "two"}}
	prompts := []*model.Prompt{{Title: "A", Anchor: "a"}, {Title: "B", Anchor: "b"}}
	tags := []*model.Tag{{Name: "go", Slug: "go", Href: "/tags/go/"}}
	for _, narrow := range []bool{false, true} {
		k := &keyer{narrow: narrow, opts: map[optsID]uint64{},
			heads:   map[*model.Category]uint64{cats[0]: 11, cats[1]: 12},
			prompts: map[*model.Prompt]uint64{prompts[0]: 21, prompts[1]: 22}}
		r := rand.New(rand.NewPCG(1, 2))
		f := filler{r: r, cats: cats, prompts: prompts, tags: tags, site: &model.Site{Title: "S"}}
		for i := range 300 {
			for _, typ := range []reflect.Type{pageType, promptType.Elem(), categoryType.Elem(), siteType.Elem()} {
				v := reflect.New(typ).Elem()
				f.fill(v, 0)
				a, b := xxhash.New(), xxhash.New()
				hasherOf(typ)(k, a, v.Addr().UnsafePointer())
				k.value(b, v)
				if a.Sum64() != b.Sum64() {
					t.Fatalf("narrow=%v, value %d of %s: the hasher's sum %x, value's %x:\n%+v", narrow, i, typ, a.Sum64(), b.Sum64(), v.Interface())
				}
			}
		}
		if k.failed.Load() {
			t.Error("a value could not be keyed")
		}
	}
}

// filler fills values with random ones; the pointers to a site, category,
// prompt or tag point to some of its own.
type filler struct {
	r       *rand.Rand
	cats    []*model.Category
	prompts []*model.Prompt
	tags    []*model.Tag
	site    *model.Site
}

func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case siteType:
		if f.r.IntN(2) == 0 {
			v.Set(reflect.ValueOf(f.site))
		}
		return
	case categoryType:
		if n := f.r.IntN(len(f.cats) + 1); n < len(f.cats) {
			v.Set(reflect.ValueOf(f.cats[n]))
		}
		return
	case promptType:
		if n := f.r.IntN(len(f.prompts) + 1); n < len(f.prompts) {
			v.Set(reflect.ValueOf(f.prompts[n]))
		}
		return
	case tagType:
		if n := f.r.IntN(len(f.tags) + 1); n < len(f.tags) {
			v.Set(reflect.ValueOf(f.tags[n]))
		}
		return
	}
	if !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "a", "prompt text", "日本語", string(rune(f.r.IntN(1000)))}[f.r.IntN(5)])
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.r.IntN(200) - 100))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(uint64(f.r.IntN(200)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(f.r.Float64())
	case reflect.Slice:
		if depth > 3 {
			return
		}
		n := f.r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n+f.r.IntN(3))
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		if depth > 3 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range f.r.IntN(3) {
			key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			f.fill(key, depth+1)
			f.fill(val, depth+1)
			m.SetMapIndex(key, val)
		}
		v.Set(m)
	case reflect.Pointer:
		if depth > 3 || f.r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			fv := v.Field(i)
			if !fv.CanSet() { // an unexported field: set in place
				fv = reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem()
			}
			f.fill(fv, depth+1)
		}
	}
}
