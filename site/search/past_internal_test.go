package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// TestAnalysesWriter encodes analyses, takes some of them in a second
// encoding and adds others, and reads each back as it was added: the
// strings kept from the first encoding while most are used, and only the
// strings used once most are not.
func TestAnalysesWriter(t *testing.T) {
	doc := func(words ...string) *analysed {
		a := &analysed{words: words, length: [4]int{len(words), 1, 0, 2}}
		for i, w := range words {
			a.terms[i%4] = append(a.terms[i%4], termFreq{w + "-t", i + 1})
		}
		return a
	}
	read := func(b []byte) *pastAnalyses {
		t.Helper()
		p, err := readAnalyses(b)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	check := func(p *pastAnalyses, want map[uint64]*analysed) {
		t.Helper()
		if len(p.docs) != len(want) {
			t.Fatalf("%d analyses read, want %d", len(p.docs), len(want))
		}
		for key, w := range want {
			var got analysed
			if !p.take(key, &got) {
				t.Fatalf("no analysis under %d", key)
			}
			for fi := range got.terms {
				if len(got.terms[fi]) == 0 {
					got.terms[fi] = nil
				}
			}
			if len(got.words) == 0 {
				got.words = nil
			}
			got.termIDs, got.wordIDs = nil, nil
			if !reflect.DeepEqual(&got, w) {
				t.Errorf("analysis %d reads as %+v, want %+v", key, got, *w)
			}
		}
	}

	// add adds a to w as the analyses of a worker with its own table of
	// strings do.
	var table strTable
	var tr []uint64
	add := func(w *analysesWriter, key uint64, a *analysed) {
		c := *a
		c.termIDs, c.wordIDs = nil, nil
		for _, terms := range c.terms {
			for _, t := range terms {
				c.termIDs = append(c.termIDs, table.id([]byte(t.term)))
			}
		}
		for _, s := range c.words {
			c.wordIDs = append(c.wordIDs, table.id([]byte(s)))
		}
		w.add(key, &c, table.strs, &tr)
	}
	first := map[uint64]*analysed{1: doc("retry", "backoff"), 2: doc("timeout"), 3: doc("café", "retry")}
	w := newAnalysesWriter(nil)
	for _, k := range []uint64{1, 2, 3} {
		add(w, k, first[k])
	}
	p := read(bytes.Join(w.bytes(), nil))
	check(p, first)

	// Documents 1 and 3 taken, 4 new: the first encoding's strings stay,
	// and document 1's bytes are copied as they were.
	second := map[uint64]*analysed{1: first[1], 3: first[3], 4: doc("retry", "jitter")}
	w = newAnalysesWriter(p)
	for _, k := range []uint64{1, 3} {
		var a analysed
		p.take(k, &a)
		w.addPast(k, &a)
	}
	table, tr = strTable{}, nil // a writer of its own
	add(w, 4, second[4])
	p2 := read(bytes.Join(w.bytes(), nil))
	check(p2, second)
	if !slices.Equal(p2.strs[:len(p.strs)], p.strs) {
		t.Errorf("the strings %q do not begin with the first encoding's %q", p2.strs, p.strs)
	}
	if string(p2.docs[1]) != string(p.docs[1]) {
		t.Error("a document taken was encoded again")
	}

	// Most strings no document's: only those used are kept.
	third := map[uint64]*analysed{5: doc("jitter")}
	for i := range 2 {
		third[uint64(10+i)] = doc(fmt.Sprint("w", i))
	}
	w = newAnalysesWriter(p2)
	table, tr = strTable{}, nil
	for k, a := range third {
		add(w, k, a)
	}
	p3 := read(bytes.Join(w.bytes(), nil))
	check(p3, third)
	if len(p3.strs) != 2+2*2 {
		t.Errorf("%d strings kept, want the 6 used: %q", len(p3.strs), p3.strs)
	}
}

// TestWriteString checks that writeString writes what encoding/json does,
// for every byte, alone and among letters.
func TestWriteString(t *testing.T) {
	strs := []string{"", "word", "ünïcödé", "日本語", "bad\xffutf8", "\u2028\u2029", "a\x00b"}
	for c := range 256 {
		strs = append(strs, string(rune(c)), "ab"+string([]byte{byte(c)})+"cd")
	}
	for _, s := range strs {
		var b bytes.Buffer
		writeString(&b, s)
		want, _ := json.Marshal(s)
		if b.String() != string(want) {
			t.Errorf("writeString(%q) = %s; want %s", s, b.Bytes(), want)
		}
	}
}

// TestTakeLeavesNothing takes the analysis of a document whose encoding
// does not read: take reports none, and leaves the analysis it was given
// empty, for the document to be analysed into afresh.
func TestTakeLeavesNothing(t *testing.T) {
	w := newAnalysesWriter(nil)
	var table strTable
	var tr []uint64
	a := &analysed{words: []string{"retry", "backoff"}, length: [4]int{2, 0, 0, 0}}
	a.terms[0] = []termFreq{{"retri", 1}, {"backoff", 1}}
	for _, s := range []string{"retri", "backoff"} {
		a.termIDs = append(a.termIDs, table.id([]byte(s)))
	}
	for _, s := range a.words {
		a.wordIDs = append(a.wordIDs, table.id([]byte(s)))
	}
	w.add(7, a, table.strs, &tr)
	p, err := readAnalyses(bytes.Join(w.bytes(), nil))
	if err != nil {
		t.Fatal(err)
	}
	var got analysed
	if !p.take(7, &got) || !reflect.DeepEqual(got.words, a.words) {
		t.Fatalf("took %+v, want the analysis added", got)
	}
	// The encoding's last string, a word's, numbered past the table:
	// the terms read, the words not.
	d := bytes.Clone(p.docs[7])
	d[len(d)-1] = byte(len(p.strs))
	p.docs[7] = d
	if p.take(7, &got) {
		t.Fatal("an encoding with a string past the table was taken")
	}
	for fi, terms := range got.terms {
		if len(terms) > 0 {
			t.Errorf("field %d keeps the terms %v", fi, terms)
		}
	}
	if len(got.words) > 0 || len(got.termIDs) > 0 || len(got.wordIDs) > 0 || got.length != [4]int{} {
		t.Errorf("the analysis not taken keeps %+v; want it empty", got)
	}
}
