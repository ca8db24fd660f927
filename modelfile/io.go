package modelfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// testHookBeforeRename, when set by tests, runs after the temporary file is
// written and synced and before it is renamed; an error aborts the write.
var testHookBeforeRename func(tmp string) error

// Write stores f at path atomically: it writes a temporary file in the same
// directory, fsyncs and closes it, renames it over path and fsyncs the
// directory. On any failure the temporary file is removed and an existing
// file at path is left untouched. f is not modified; the written metadata
// gains "format", "version" and "sha256" (see the package doc).
func Write(path string, f *File) (err error) {
	hdr, err := prepare(f) // validate before touching the disk
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("modelfile: write %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	if _, err = w.Write(hdr); err != nil {
		return fmt.Errorf("modelfile: write %s: %w", path, err)
	}
	for _, t := range f.Tensors {
		if _, err = w.Write(t.Data); err != nil {
			return fmt.Errorf("modelfile: write %s: %w", path, err)
		}
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("modelfile: write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("modelfile: sync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("modelfile: close %s: %w", path, err)
	}
	if testHookBeforeRename != nil {
		if err = testHookBeforeRename(tmpName); err != nil {
			return err
		}
	}
	if err = os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("modelfile: rename to %s: %w", path, err)
	}
	// Make the rename durable. Some platforms cannot fsync a directory;
	// the file itself is already complete, so that is not an error.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Read reads and verifies the engram file at path (see Decode).
func Read(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	f, err := readFrom(bufio.NewReaderSize(fh, 1<<20), st.Size(), true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ReadUnverified reads any safetensors file at path (see DecodeUnverified).
func ReadUnverified(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	f, err := DecodeUnverified(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}
