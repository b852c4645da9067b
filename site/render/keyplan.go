package render

import (
	"math"
	"reflect"
	"sync"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"github.com/promptsite/promptsite/site/model"
)

// A hasher writes the value at p, of the type it was made for, into h,
// the very bytes keyer.value writes for it, without going through
// reflect for each field and element: the page keys of a large library
// hash some 20,000 structs of 20 to 30 fields on every rebuild.
type hasher func(k *keyer, h *xxhash.Digest, p unsafe.Pointer)

// sliceHeader is how a slice is laid out in memory.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// field is a struct field as the keys hash it: its name, where it stands
// in the struct and its hasher.
type field struct {
	name  string
	off   uintptr
	slice bool // a slice, which a key that skips it counts
	hash  hasher
}

// hasherOf returns the hasher of t, made once.
func hasherOf(t reflect.Type) hasher {
	if f, ok := hashers.Load(t); ok {
		return f.(hasher)
	}
	f, _ := hashers.LoadOrStore(t, makeHasher(t))
	return f.(hasher)
}

var hashers, fieldLists sync.Map // by reflect.Type

// fieldsOf returns the fields of the struct type t, in order, made once.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldLists.Load(t); ok {
		return fs.([]field)
	}
	fs := make([]field, t.NumField())
	for i := range fs {
		sf := t.Field(i)
		fs[i] = field{name: sf.Name, off: sf.Offset, slice: sf.Type.Kind() == reflect.Slice, hash: lazyHasher(sf.Type)}
	}
	v, _ := fieldLists.LoadOrStore(t, fs)
	return v.([]field)
}

// lazyHasher is hasherOf(t), looked up at its first call: a type may
// hold itself, through a pointer or a slice.
func lazyHasher(t reflect.Type) hasher {
	var once sync.Once
	var f hasher
	return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
		once.Do(func() { f = hasherOf(t) })
		f(k, h, p)
	}
}

// makeHasher makes the hasher of t, after keyer.value.
func makeHasher(t reflect.Type) hasher {
	// What value takes through reflect: tags, few; maps and interfaces,
	// which no field on the way of the keys' hot loops holds.
	slow := func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
		k.value(h, reflect.NewAt(t, p).Elem())
	}
	switch t {
	case siteType:
		return func(*keyer, *xxhash.Digest, unsafe.Pointer) {}
	case categoryType:
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			writeUint(h, k.heads[*(**model.Category)(p)])
		}
	case promptType:
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			writeUint(h, k.prompts[*(**model.Prompt)(p)])
		}
	case optionsType:
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) { writeUint(h, k.optionsSum((*Options)(p))) }
	case tagType:
		return slow
	}
	switch t.Kind() {
	case reflect.String:
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) { k.writeString(h, *(*string)(p)) }
	case reflect.Bool:
		return func(_ *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			if *(*bool)(p) {
				writeByte(h, 1)
			} else {
				writeByte(h, 0)
			}
		}
	case reflect.Int:
		return signed[int]
	case reflect.Int8:
		return signed[int8]
	case reflect.Int16:
		return signed[int16]
	case reflect.Int32:
		return signed[int32]
	case reflect.Int64:
		return signed[int64]
	case reflect.Uint:
		return unsigned[uint]
	case reflect.Uint8:
		return unsigned[uint8]
	case reflect.Uint16:
		return unsigned[uint16]
	case reflect.Uint32:
		return unsigned[uint32]
	case reflect.Uint64:
		return unsigned[uint64]
	case reflect.Uintptr:
		return unsigned[uintptr]
	case reflect.Float32:
		return func(_ *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			writeUint(h, math.Float64bits(float64(*(*float32)(p))))
		}
	case reflect.Float64:
		return func(_ *keyer, h *xxhash.Digest, p unsafe.Pointer) { writeUint(h, math.Float64bits(*(*float64)(p))) }
	case reflect.Slice:
		elem, size := lazyHasher(t.Elem()), t.Elem().Size()
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			s := (*sliceHeader)(p)
			writeUint(h, uint64(s.len))
			for i := range s.len {
				elem(k, h, unsafe.Add(s.data, uintptr(i)*size))
			}
		}
	case reflect.Array:
		elem, size, n := lazyHasher(t.Elem()), t.Elem().Size(), t.Len()
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			writeUint(h, uint64(n))
			for i := range n {
				elem(k, h, unsafe.Add(p, uintptr(i)*size))
			}
		}
	case reflect.Pointer:
		elem := lazyHasher(t.Elem())
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				writeByte(h, 0)
				return
			}
			writeByte(h, 1)
			elem(k, h, q)
		}
	case reflect.Struct:
		var once sync.Once
		var fs []field
		return func(k *keyer, h *xxhash.Digest, p unsafe.Pointer) {
			once.Do(func() { fs = fieldsOf(t) })
			for _, f := range fs {
				f.hash(k, h, unsafe.Add(p, f.off))
			}
		}
	}
	return slow // maps, interfaces, and what no key may hold (see value)
}

// signed and unsigned hash an integer of their type as value does: as a
// uint64, a signed one from its int64.
func signed[T int | int8 | int16 | int32 | int64](_ *keyer, h *xxhash.Digest, p unsafe.Pointer) {
	writeUint(h, uint64(int64(*(*T)(p))))
}

func unsigned[T uint | uint8 | uint16 | uint32 | uint64 | uintptr](_ *keyer, h *xxhash.Digest, p unsafe.Pointer) {
	writeUint(h, uint64(*(*T)(p)))
}
