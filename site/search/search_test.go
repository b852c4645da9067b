package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/promptsite/promptsite/site/model"
)

func TestWithinOne(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"retry", "retry", true},
		{"retyr", "retry", true},  // transposition
		{"rtery", "retry", true},  // transposition at the start
		{"retru", "retry", true},  // substitution
		{"rety", "retry", true},   // deletion
		{"retrry", "retry", true}, // insertion
		{"rerty", "retry", true},
		{"rtyre", "retry", false},
		{"pagnated", "paginated", true},
		{"pagnatd", "paginated", false},
		{"", "a", true},
		{"ab", "ba", true},
		{"abc", "cba", false},
		{"café", "cafe", true}, // letters, not bytes
	}
	for _, tt := range tests {
		if got := withinOne([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("withinOne(%q, %q) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
		if got := withinOne([]rune(tt.b), []rune(tt.a)); got != tt.want {
			t.Errorf("withinOne(%q, %q) = %v; want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestOneTypoPrefix(t *testing.T) {
	tests := []struct {
		w, s string
		want bool
	}{
		{"pagnat", "paginated", true}, // a typo while typing
		{"pagint", "paginated", true},
		{"retyr", "retrying", true},
		{"xyzab", "retrying", false},
		{"paginatedx", "paginated", true},
	}
	for _, tt := range tests {
		if got := oneTypo([]rune(tt.w), []rune(tt.s), true); got != tt.want {
			t.Errorf("oneTypo(%q, %q, prefix) = %v; want %v", tt.w, tt.s, got, tt.want)
		}
	}
}

func TestSameStem(t *testing.T) {
	tests := []struct {
		w, s string
		want bool
	}{
		{"mocking", "mock", true},
		{"migrating", "migrate", true},
		{"explanation", "explanations", true},
		{"testing", "testable", false}, // "able" is four letters
		{"mod", "mode", false},         // too short
	}
	for _, tt := range tests {
		if got := sameStem([]rune(tt.w), []rune(tt.s)); got != tt.want {
			t.Errorf("sameStem(%q, %q) = %v; want %v", tt.w, tt.s, got, tt.want)
		}
	}
}

func TestQueryWords(t *testing.T) {
	tests := []struct {
		q     string
		words []string
		open  bool
	}{
		{"retry", []string{"retry"}, true},
		{"Retry ", []string{"retry"}, false},
		{"asyncio.timeout()", []string{"asyncio", "timeout"}, false},
		{"don't panic", []string{"don't", "panic"}, true},
		{"don'", []string{"don"}, false},
		{"event_loop", []string{"event", "loop"}, true},
		{"  ", nil, false},
		{"Übergröße", []string{"übergröße"}, true},
		// Runs of CJK characters: their pairs, marked with a *.
		{"旅游指南", []string{"*旅游", "*游指", "*指南"}, true},
		{"小说家 Linux", []string{"*小说", "*说家", "linux"}, true},
		{"诗", []string{"*诗"}, true},
		{"python异步编程", []string{"python", "*异步", "*步编", "*编程"}, true},
		{"ｶﾞｲﾄﾞ、コーヒー。", []string{"*ガイ", "*イド", "*コー", "*ーヒ", "*ヒー"}, false},
		{"번역가를 찾기", []string{"*번역", "*역가", "*가를", "*찾기"}, true},
		{"it's日本", []string{"it's", "*日本"}, true},
		{"don'日本", []string{"don", "*日本"}, true},
	}
	for _, tt := range tests {
		qws, open := queryWords(tt.q)
		var words []string
		for _, w := range qws {
			if w.cjk {
				w.text = "*" + w.text
			}
			words = append(words, w.text)
		}
		if !slices.Equal(words, tt.words) || open != tt.open {
			t.Errorf("queryWords(%q) = %q, %v; want %q, %v", tt.q, words, open, tt.words, tt.open)
		}
	}
}

// tiny is a hand-made library of three prompts and a category without any.
func tiny() *model.Site {
	c1 := &model.Category{Title: "Networking", Slug: "networking"}
	c1.Prompts = []*model.Prompt{
		{Title: "Retry with backoff", Anchor: "retry", Text: "Retries a failing call.\nretry(fn, attempts=3)",
			Code: []model.CodeBlock{{Source: "retry(fn, attempts=3)"}}},
		{Title: "Rate limiting", Anchor: "rate", Text: "Limit the rate of requests to an API."},
	}
	c2 := &model.Category{Title: "Testing", Slug: "testing"}
	c2.Prompts = []*model.Prompt{{Title: "Mock the client", Anchor: "mock", Text: "Mocking httpx.AsyncClient in tests."}}
	c3 := &model.Category{Title: "Mistakes", Slug: "mistakes", IntroText: "Blocking calls inside a coroutine."}
	return &model.Site{Title: "Tiny", Categories: []*model.Category{c1, c2, c3}}
}

func TestExpand(t *testing.T) {
	ix, err := New(tiny())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		q    string
		want [][]alt
	}{
		{"retries", [][]alt{{{"retri", 1}}}},
		{"retry ", [][]alt{{{"retri", 1}}}},
		{"ret", [][]alt{{{"retri", prefixBoost}}}},
		{"re", [][]alt{{{"request", prefixBoost}, {"retri", prefixBoost}}}},
		{"r", nil}, // too short to complete
		{"retyr", [][]alt{{{"retri", typoBoost}}}},
		{"mocks", [][]alt{{{"mock", typoBoost}}}}, // another ending of "mock"
		{"the rate", [][]alt{{{"rate", 1}}}},      // a stop word stands for nothing
		{"httpx.asyncclient", [][]alt{{{"httpx", 1}}, {{"asynccli", 1}}}},
		{"kubernetes", nil},
	}
	for _, tt := range tests {
		var got [][]alt
		for _, w := range ix.expand(tt.q) {
			got = append(got, w.alts)
		}
		if !slices.EqualFunc(got, tt.want, func(a, b []alt) bool { return slices.Equal(a, b) }) {
			t.Errorf("expand(%q) = %v; want %v", tt.q, got, tt.want)
		}
	}
}

func TestQuery(t *testing.T) {
	ix, err := New(tiny())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		q    string
		want []string
	}{
		{"retry", []string{"/networking/#retry"}},
		{"rate", []string{"/networking/#rate"}},
		{"mock httpx", []string{"/testing/#mock"}},
		{"blocking", []string{"/mistakes/"}},
		{"networking", []string{"/networking/#retry", "/networking/#rate"}}, // a tie: document order
		{"zzz", nil},
	}
	for _, tt := range tests {
		rs, err := ix.Query(tt.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.URL)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Query(%q) = %q; want %q", tt.q, got, tt.want)
		}
	}
}

// TestDeterministic checks that two builds give the same bytes.
func TestDeterministic(t *testing.T) {
	a, err := Build(tiny())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(tiny())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Names(), b.Names()) {
		t.Fatalf("names differ:\n%q\n%q", a.Names(), b.Names())
	}
	for _, n := range a.Names() {
		x, _ := a.Get(n)
		y, _ := b.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between builds", n)
		}
	}
}

// TestChunks checks that every key lies in the chunk chunkOf names, with
// small chunks so that there are many.
func TestChunks(t *testing.T) {
	defer func(n int) { chunkTarget = n }(chunkTarget)
	chunkTarget = 40
	ix, err := New(tiny())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.starts) < 5 {
		t.Fatalf("%d chunks; want several", len(ix.starts))
	}
	for _, k := range ix.keys {
		c := ix.chunkOf(k)
		if ix.starts[c] > k || (c+1 < len(ix.starts) && ix.starts[c+1] <= k) {
			t.Errorf("chunkOf(%q) = %d, which starts at %q", k, c, ix.starts[c])
		}
		if _, ok := ix.surface[k]; ok && !slices.Contains(ix.wordsIn(c, c), k) {
			t.Errorf("wordsIn(%d) lacks %q", c, k)
		}
	}
	lo, hi := ix.prefixChunks("re")
	for _, w := range ix.words {
		if c := ix.chunkOf(w); len(w) >= 2 && w[:2] == "re" && (c < lo || c > hi) {
			t.Errorf("%q is in chunk %d, outside prefixChunks(re) = %d..%d", w, c, lo, hi)
		}
	}
}

// TestPages checks that the pages cut the chunks, every key lying in the
// page the manifest leads to, each from half to twice its target but the
// last of a chunk; and that each term's entry names
// the surface words of the term on other pages, such as "änderung" for
// "anderung".
func TestPages(t *testing.T) {
	defer func(c, p int) { chunkTarget, pageTarget = c, p }(chunkTarget, pageTarget)
	chunkTarget, pageTarget = 600, 150
	s := tiny()
	s.Categories[0].Prompts = append(s.Categories[0].Prompts,
		&model.Prompt{Title: "Änderung der Reihenfolge", Anchor: "anderung", Text: "Eine Änderung, die Überprüfung braucht.", Lang: "de"})
	ix, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tr, err := ix.Files()
	if err != nil {
		t.Fatal(err)
	}
	var m readManifest
	b, _ := tr.Get(Dir + "/index.json")
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(ix.starts) < 3 || len(m.Keys) < 2*len(ix.starts) {
		t.Fatalf("%d chunks in %d pages; want several, of several pages", len(ix.starts), len(m.Keys))
	}
	// The chunks start pages.
	p, lastOfChunk := 0, map[int]bool{}
	for c, n := range m.Chunks {
		if c > 0 && m.Keys[p] != ix.starts[c] {
			t.Errorf("chunk %d starts at %q, its first page at %q", c, ix.starts[c], m.Keys[p])
		}
		p += n
		lastOfChunk[p-1] = true
	}
	if p != len(m.Keys) || len(ix.pages) != p {
		t.Fatalf("the chunks have %d pages; the manifest lists %d, the index %d", p, len(m.Keys), len(ix.pages))
	}
	type page struct {
		S map[string]json.RawMessage   `json:"s"`
		T map[string][]json.RawMessage `json:"t"`
	}
	pages := make([]page, len(m.Keys))
	for i := range pages {
		b, ok := tr.Get(path.Join(Dir, m.pagePath(i)))
		if !ok {
			t.Fatalf("no page %d", i)
		}
		if err := json.Unmarshal(b, &pages[i]); err != nil {
			t.Fatal(err)
		}
		if lastOfChunk[i] {
			continue
		}
		size, most := 0, 0
		for k := ix.pages[i]; k < ix.pages[i+1]; k++ {
			e := len(ix.entries[k].surface) + len(ix.entries[k].postings) + 1
			size, most = size+e, max(most, e)
		}
		if size < pageTarget/2 || size >= 2*pageTarget+most {
			t.Errorf("page %d weighs %d bytes; want from half to twice %d", i, size, pageTarget)
		}
	}
	pageOf := func(k string) int { return sort.SearchStrings(m.Keys, k+"\x00") - 1 }
	for _, k := range ix.keys {
		pg := pages[pageOf(k)]
		if _, ok := ix.surface[k]; ok && pg.S[k] == nil {
			t.Errorf("surface word %q is not on page %d", k, pageOf(k))
		}
		if ix.postings[k] != nil && pg.T[k] == nil {
			t.Errorf("term %q is not on page %d", k, pageOf(k))
		}
	}
	far := 0
	for _, w := range ix.words {
		for _, term := range ix.surface[w] {
			if pageOf(term) == pageOf(w) {
				continue
			}
			far++
			e := pages[pageOf(term)].T[term]
			var ws []string
			if len(e) == 5 {
				json.Unmarshal(e[4], &ws)
			}
			if !slices.Contains(ws, w) {
				t.Errorf("%q is on page %d, its term %q on page %d, whose entry %s does not name it", w, pageOf(w), term, pageOf(term), e)
			}
		}
	}
	if e := pages[pageOf("anderung")].T["anderung"]; len(e) != 5 || !strings.Contains(string(e[4]), `"änderung"`) {
		t.Errorf(`"anderung" has the entry %s; want one that names "änderung"`, e)
	}
	t.Logf("%d chunks, %d pages, %d surface words away from their terms", len(ix.starts), len(m.Keys), far)
}

func TestPostingsTiny(t *testing.T) {
	ix, err := New(tiny())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.CheckPostings(); err != nil {
		t.Error(err)
	}
}

// TestRecordFiles checks that document n's record is item n%per of the
// file of records n/per, for one record a file, a few, and all in one: a
// record a file in a library of up to singleRecords documents, and in a
// larger one as many as make groupTarget bytes.
func TestRecordFiles(t *testing.T) {
	defer func(n, f int) { groupTarget, singleRecords = n, f }(groupTarget, singleRecords)
	urls := []string{"/networking/#retry", "/networking/#rate", "/testing/#mock", "/mistakes/"}
	for _, tt := range []struct{ target, files, per int }{
		{1 << 20, 4, 1}, // a small library
		{1, 1, 1},       // about a record a file
		{150, 1, 2},     // about 150 bytes a file
		{1 << 20, 3, 4}, // all in one
		{1 << 20, 0, 4},
	} {
		groupTarget, singleRecords = tt.target, tt.files
		target := fmt.Sprintf("groupTarget %d, singleRecords %d", tt.target, tt.files)
		tr, err := Build(tiny())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := tr.Get(Dir + "/index.json")
		var m readManifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		files := 0
		for _, name := range tr.Names() {
			if strings.HasPrefix(path.Base(name), "r") {
				files++
			}
		}
		if want := (len(urls) + m.PerFile - 1) / m.PerFile; files != want || m.PerFile != tt.per {
			t.Errorf("%s: %d records a file in %d files; want %d a file in %d files", target, m.PerFile, files, tt.per, want)
		}
		for n, u := range urls {
			b, _ := tr.Get(path.Join(Dir, m.recordPath(n/m.PerFile)))
			var recs []record
			if err := json.Unmarshal(b, &recs); err != nil {
				t.Fatal(err)
			}
			if n%m.PerFile >= len(recs) || recs[n%m.PerFile][2] != u {
				t.Errorf("%s: document %d: file %d holds %q; want %s at %d", target, n, n/m.PerFile, recs, u, n%m.PerFile)
			}
		}
	}
}

// TestLongQuery checks that a query reads its first maxWords words only,
// so that its cost does not grow with what is pasted into the box.
func TestLongQuery(t *testing.T) {
	ix, err := New(tiny())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	words := strings.Fields(strings.Repeat("retry rate mock client ", 8))
	first, err := ix.Query(strings.Join(words[:maxWords], " ")+" ", 10)
	if err != nil {
		t.Fatal(err)
	}
	long, err := ix.Query(strings.Join(words, " ")+" and many more words", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || len(long) != len(first) {
		t.Fatalf("%d results for the long query, %d for its first %d words", len(long), len(first), maxWords)
	}
	for i := range first {
		if long[i].URL != first[i].URL || long[i].Score != first[i].Score {
			t.Errorf("result %d: %s %v for the long query, %s %v for its first words", i, long[i].URL, long[i].Score, first[i].URL, first[i].Score)
		}
	}
}

// TestDocumentLanguages checks that each document is analysed in its own
// language: a German prompt's stop words are dropped and its words stemmed
// as German, an English prompt's as English, and a word of both stands for
// the terms of both.
func TestDocumentLanguages(t *testing.T) {
	c := &model.Category{Title: "Mixed", Slug: "mixed"}
	c.Prompts = []*model.Prompt{
		{Title: "Houses", Anchor: "houses", Text: "Describe the houses, the Häuser of Berlin, as an estate agent would."},
		{Title: "Häuser", Anchor: "hauser", Lang: "de-AT", Text: "Beschreibe die Häuser der Stadt wie ein Makler."},
	}
	ix, err := New(&model.Site{Lang: "en", Categories: []*model.Category{c}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !slices.Equal(ix.langs, []string{"en", "de"}) {
		t.Errorf("analyses %q; want [en de]", ix.langs)
	}
	for w, want := range map[string][]string{
		"häuser":   {"haus", "häuser"}, // German, and English
		"hauser":   {"haus", "häuser"}, // the same, typed without the accent
		"die":      nil,                // a German stop word, in German only
		"the":      nil,                // an English one
		"makler":   {"makl"},
		"houses":   {"hous"},
		"berlin":   {"berlin"},
		"stadt":    {"stadt"},
		"agent":    {"agent"},
		"estate":   {"estat"},
		"describe": {"describ"},
	} {
		got, ok := ix.surface[w]
		if !ok || !slices.Equal(got, want) {
			t.Errorf("surface[%q] = %q, %v; want %q", w, got, ok, want)
		}
	}
	res, err := ix.Query("Häusern", 2)
	if err != nil || len(res) != 2 {
		t.Fatalf("Häusern: %v, %v; want both prompts", res, err)
	}
}

// TestStopWordsLoaded checks that every language Language tells by its
// stop words has them.
func TestStopWordsLoaded(t *testing.T) {
	for _, lang := range append([]string{"en"}, stopLanguages...) {
		if len(stopWords()[lang]) < 20 {
			t.Errorf("%s: %d stop words", lang, len(stopWords()[lang]))
		}
	}
}

// TestLanguageDetection checks the guesses that matter most: a library's
// language from its prose, not its code; no guess from a few words; and
// Arabic and Hebrew by their script.
func TestLanguageDetection(t *testing.T) {
	lib := func(text, code string) *model.Site {
		c := &model.Category{Title: "Prompts", Slug: "prompts"}
		for i := range 3 {
			p := &model.Prompt{Title: fmt.Sprint("Prompt ", i), Text: text + "\n" + code}
			if code != "" {
				p.Code = []model.CodeBlock{{Source: code, Lang: "python"}}
			}
			c.Prompts = append(c.Prompts, p)
		}
		return &model.Site{Categories: []*model.Category{c}}
	}
	spanishCode := strings.Repeat("# TODO: todos los de la lista\nfor todo in todos: print(todo)\n", 40)
	tests := []struct {
		name string
		s    *model.Site
		want string
	}{
		{"English prose, code with Spanish-looking words", lib("Write the tests in this file, and list the cases that are still missing.", spanishCode), "en"},
		{"a few words", lib("Paint {{subject}} in Van Gogh style, De Stijl colors.", ""), "en"},
		{"German", lib(strings.Repeat("Ich möchte, dass du als Übersetzer arbeitest und die Texte in die andere Sprache überträgst, ohne den Sinn zu ändern. ", 10), ""), "de"},
		{"Arabic", lib("أريد منك أن تعمل مترجمًا وأن تحسّن النص دون أن تغيّر معناه.", ""), "ar"},
		{"Hebrew", lib("אני רוצה שתשמש כמתרגם ותשפר את הטקסט בלי לשנות את המשמעות.", ""), "he"},
		{"Chinese", lib("我想让你充当小说家。你要构思富有创意、引人入胜的故事。", ""), "zh"},
		// Enough words for stop words to count.
		{"English", lib(strings.Repeat("I want you to act as a translator, and to make the text better in the other language without changing what it means. ", 10), ""), "en"},
		{"French", lib(strings.Repeat("Je veux que tu sois mon traducteur et que tu améliores le texte dans une autre langue, sans en changer le sens. ", 10), ""), "fr"},
		{"Spanish", lib(strings.Repeat("Quiero que actúes como traductor y que mejores el texto en el otro idioma sin cambiar lo que significa. ", 10), ""), "es"},
		{"Italian", lib(strings.Repeat("Voglio che tu faccia il traduttore e che migliori il testo nella lingua di arrivo, senza cambiarne il senso. ", 10), ""), "it"},
		{"Dutch", lib(strings.Repeat("Ik wil dat je als vertaler werkt en de tekst in de andere taal verbetert, zonder de betekenis te veranderen. ", 10), ""), "nl"},
		// French stop words are frequent, but English ones more so.
		{"English quoting French", lib(strings.Repeat("Translate the sentence that is in the quote to English, and tell me what it is about: « je veux que tu sois là ». ", 10), ""), "en"},
	}
	for _, tt := range tests {
		if got := Language(tt.s); got != tt.want {
			t.Errorf("%s: %q; want %q", tt.name, got, tt.want)
		}
	}
}

// TestCapitalsFound checks that words with the capitals that lower-case
// unlike others (Turkish İ, Greek final Σ) are found in any case.
func TestCapitalsFound(t *testing.T) {
	c := &model.Category{Title: "Travel", Slug: "travel"}
	c.Prompts = []*model.Prompt{
		{Title: "İstanbul gezisi", Anchor: "istanbul", Text: "İstanbul için üç günlük bir gezi planı yaz."},
		{Title: "ΟΔΗΓΟΣ ΤΑΞΙΔΙΟΥ", Anchor: "odigos", Text: "Γράψε έναν ΟΔΗΓΟΣ για την Αθήνα."},
	}
	ix, err := New(&model.Site{Lang: "tr", Categories: []*model.Category{c}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"İstanbul", "istanbul", "ISTANBUL", "ΟΔΗΓΟΣ", "οδηγοσ"} {
		res, err := ix.Query(q, 1)
		if err != nil || len(res) == 0 {
			t.Errorf("%q: %v, %v; want a result", q, res, err)
		}
	}
}

// readManifest reads a manifest as search.js does, its query rules left
// as they are.
type readManifest struct {
	manifest
	Query json.RawMessage `json:"q"`
}

// TestFar holds far, which walks the sorted words along the pages, to its
// definition: a term's far words are its surface words whose page, found
// by a search of the pages' first keys, is not the term's.
func TestFar(t *testing.T) {
	defer func(c, p int) { chunkTarget, pageTarget = c, p }(chunkTarget, pageTarget)
	chunkTarget, pageTarget = 600, 150
	s := tiny()
	s.Categories[0].Prompts = append(s.Categories[0].Prompts,
		&model.Prompt{Title: "Änderung der Reihenfolge", Anchor: "anderung", Text: "Eine Änderung, die Überprüfung braucht, ändert Änderungen.", Lang: "de"},
		&model.Prompt{Title: "Retries", Anchor: "retries", Text: "Retrying retried requests; zebras retry. Connections connected, connecting."})
	ix, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	pageOf := func(k string) int {
		return sort.Search(len(ix.pages), func(i int) bool { return ix.keys[ix.pages[i]] > k }) - 1
	}
	// Analyses make terms that sort before their words, mostly: a word
	// made to stand for a key on a later page, and one for the first
	// key of the next page, try the other side.
	first, second := ix.words[0], ix.words[1]
	ix.surface[first] = append(slices.Clone(ix.surface[first]), ix.keys[len(ix.keys)-1])
	ix.surface[second] = append(slices.Clone(ix.surface[second]), ix.keys[ix.pages[pageOf(second)+1]])
	want := map[string][]string{}
	for _, w := range ix.words {
		for _, term := range ix.surface[w] {
			if pageOf(term) != pageOf(w) {
				want[term] = append(want[term], w)
			}
		}
	}
	got := map[string][]string{}
	for term, b := range ix.far() {
		var ws []string
		if err := json.Unmarshal(b, &ws); err != nil {
			t.Fatal(err)
		}
		got[term] = ws
	}
	if len(want) == 0 || len(ix.pages) < 6 {
		t.Fatalf("%d far terms over %d pages; want some over several", len(want), len(ix.pages))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("far = %v\nwant %v", got, want)
	}
}
