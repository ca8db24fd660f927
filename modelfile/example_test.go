package modelfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/engram-lab/engram/modelfile"
)

func Example() {
	dir, _ := os.MkdirTemp("", "modelfile")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	f := &modelfile.File{Meta: map[string]string{modelfile.KeyKind: "flagship-model", modelfile.KeyConfig: `{"n_exc":400}`}}
	f.Add(
		modelfile.F32("exc.theta", []int{2}, []float32{0.5, 1.25}),
		modelfile.I32("ee.indptr", []int{3}, []int32{0, 1, 2}),
	)
	if err := modelfile.Write(path, f); err != nil {
		fmt.Println(err)
		return
	}
	g, err := modelfile.Read(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	theta, _ := g.Tensors[0].Float32s()
	fmt.Println(g.Kind(), g.Meta[modelfile.KeyFormat], g.Meta[modelfile.KeyVersion], g.Tensors[0].Name, theta)
	// Output: flagship-model engram 1 exc.theta [0.5 1.25]
}
