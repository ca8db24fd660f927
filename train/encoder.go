package train

import (
	"fmt"
	"math"
	"strings"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/modelfile"
	"github.com/engram-lab/engram/rate/learn"
)

// EncoderConfig selects a front end that maps each image to a feature
// vector before the flagship sees it (the flagship's "encoder": its first
// layer receives the features as a constant input current, as it receives
// pixels without one). The front end learns without labels, locally, on the
// training split only (never on the validation or test samples).
type EncoderConfig struct {
	// Kind is "" (pixels, the default) or "softhebb-conv": one convolutional
	// SoftHebb layer (Journé et al. 2023, learn.SoftHebbConv) learned without
	// labels or feedback, whose max-pooled triangle features are the input.
	Kind string `toml:"kind"`
	// Kernels is the number of convolution kernels (default 96, Journé et
	// al.'s first layer).
	Kernels int `toml:"kernels"`
	// KernelSize is the kernel side in pixels (default 5, Journé et al.).
	KernelSize int `toml:"kernel_size"`
	// Pool is the max-pooling window and stride in pixels (default 4: 7×7
	// positions per kernel on 28×28 images; learn.DefaultSoftHebbConv).
	Pool int `toml:"pool"`
	// HebbEpochs is the number of unsupervised passes over the training
	// split (default 1, learn.DefaultSoftHebbConv).
	HebbEpochs int `toml:"hebb_epochs"`
	// RMS scales the features so that their root mean square over the
	// training split is RMS (dimensionless; default 0.3, about the pixel
	// rms of MNIST, 0.33 over its 60k training images — Fashion-MNIST's is
	// 0.45). Chosen once, not tuned; Fashion-MNIST's input_gain, lr_in were
	// chosen on validation with it (docs/flagship.md).
	RMS float64 `toml:"rms"`
}

// EncoderSoftHebbConv names the convolutional SoftHebb front end.
const EncoderSoftHebbConv = "softhebb-conv"

// Active reports whether the configuration asks for a front end.
func (e EncoderConfig) Active() bool { return e.Kind != "" }

// resolved returns e with its zero fields set to the defaults.
func (e EncoderConfig) resolved() EncoderConfig {
	d := learn.DefaultSoftHebbConv()
	if e.Kernels == 0 {
		e.Kernels = d.Kernels
	}
	if e.KernelSize == 0 {
		e.KernelSize = d.KernelSize
	}
	if e.Pool == 0 {
		e.Pool = d.PoolSize
	}
	if e.HebbEpochs == 0 {
		e.HebbEpochs = d.HebbEpochs
	}
	if e.RMS == 0 {
		e.RMS = 0.3
	}
	return e
}

// Validate reports a configuration error (zero fields take defaults).
func (e EncoderConfig) Validate() error {
	switch e.Kind {
	case "", EncoderSoftHebbConv:
	default:
		return fmt.Errorf("encoder: kind %q unknown (want \"\" or %q)", e.Kind, EncoderSoftHebbConv)
	}
	if e.Kernels < 0 || e.KernelSize < 0 || e.KernelSize%2 == 0 && e.KernelSize != 0 || e.Pool < 0 || e.HebbEpochs < 0 || e.RMS < 0 || math.IsNaN(e.RMS) || math.IsInf(e.RMS, 0) {
		return fmt.Errorf("encoder: kernels, pool and hebb_epochs must be ≥ 0, kernel_size odd, rms finite and ≥ 0; have %+v", e)
	}
	return nil
}

// Encoder is a trained front end: Apply maps an image set to features.
type Encoder struct {
	cfg   EncoderConfig
	layer *learn.SoftHebbConv
	scale float32 // multiplies the pooled features (sets their rms)
	h, w  int
}

func (e EncoderConfig) layer(h, w int, seed uint64) *learn.SoftHebbConv {
	c := learn.DefaultSoftHebbConv()
	c.Kernels, c.KernelSize, c.PoolSize, c.PoolStride, c.Seed = e.Kernels, e.KernelSize, e.Pool, e.Pool, seed
	return c.Layer(h, w)
}

// imageShape returns the image size of s, which must hold one 2-D image
// per sample.
func imageShape(s *dataset.Set) (h, w int, err error) {
	if s.Steps != 1 || s.Height <= 0 || s.Width <= 0 || s.Height*s.Width != s.Dim {
		return 0, 0, fmt.Errorf("encoder: %s needs one image per sample (has %d steps of %d values, %d×%d)", s.Name, s.Steps, s.Dim, s.Height, s.Width)
	}
	return s.Height, s.Width, nil
}

// TrainEncoder learns the front end e on the images of train without
// labels (learn.SoftHebbConv.Learn, shuffled from seed) and sets the
// feature scale from train.
func TrainEncoder(e EncoderConfig, train *dataset.Set, seed uint64) (*Encoder, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	h, w, err := imageShape(train)
	if err != nil {
		return nil, err
	}
	e = e.resolved()
	d := learn.DefaultSoftHebbConv()
	enc := &Encoder{cfg: e, layer: e.layer(h, w, seed), scale: 1, h: h, w: w}
	enc.layer.Learn(train, e.HebbEpochs, d.HebbBatch, seed)
	// the rms over the training features, 100 images at a time (the whole
	// feature set is 4704 floats per image: Apply builds it once)
	var ss float64
	dim := h * w
	for i := 0; i < train.N; i += 100 {
		n := min(100, train.N-i)
		for _, v := range enc.layer.Features(train.X[i*dim:(i+n)*dim], n) {
			ss += float64(v) * float64(v)
		}
	}
	rms := math.Sqrt(ss / float64(train.N*enc.layer.FeatureDim()))
	if !(rms > 0) || math.IsInf(rms, 0) {
		return nil, fmt.Errorf("encoder: features of the training split have rms %g (kernels diverged or images are blank)", rms)
	}
	enc.scale = float32(e.RMS / rms)
	return enc, nil
}

// Apply returns the scaled features of every image of s (a new set: one
// step of FeatureDim values per sample, the same labels, no image shape).
func (enc *Encoder) Apply(s *dataset.Set) (*dataset.Set, error) {
	h, w, err := imageShape(s)
	if err != nil {
		return nil, err
	}
	if h != enc.h || w != enc.w {
		return nil, fmt.Errorf("encoder: learned on %d×%d images, %s has %d×%d", enc.h, enc.w, s.Name, h, w)
	}
	f := enc.layer.FeatureSet(s)
	for i := range f.X {
		f.X[i] *= enc.scale
	}
	return f, nil
}

// Kernels returns the learned kernels (K × KS·KS values, a view) and their
// side, for pictures.
func (enc *Encoder) Kernels() (w []float32, k, side int) {
	return enc.layer.Conv.Wt.W, enc.cfg.Kernels, enc.cfg.KernelSize
}

const (
	encKernels = "encoder.kernels"
	encScale   = "encoder.scale"
	encShape   = "encoder.image_shape"
)

// tensors returns the encoder's state for a model file.
func (enc *Encoder) tensors() []modelfile.Tensor {
	if enc == nil {
		return nil
	}
	return []modelfile.Tensor{
		modelfile.F32(encKernels, []int{enc.cfg.Kernels, 1, enc.cfg.KernelSize, enc.cfg.KernelSize}, enc.layer.Conv.Wt.W),
		modelfile.F32(encScale, []int{1}, []float32{enc.scale}),
		modelfile.I32(encShape, []int{2}, []int32{int32(enc.h), int32(enc.w)}),
	}
}

// loadEncoder restores the encoder of rc from a model file written by
// SaveModel (nil, nil when rc has none).
func loadEncoder(rc RunConfig, f *modelfile.File) (*Encoder, error) {
	e := rc.Encoder
	if !e.Active() {
		return nil, nil
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e = e.resolved()
	byName := map[string]modelfile.Tensor{}
	for _, t := range f.Tensors {
		if strings.HasPrefix(t.Name, "encoder.") {
			byName[t.Name] = t
		}
	}
	get := func(name string) (modelfile.Tensor, error) {
		t, ok := byName[name]
		if !ok {
			return t, fmt.Errorf("encoder: tensor %q missing from the model file", name)
		}
		return t, nil
	}
	tk, err := get(encKernels)
	if err != nil {
		return nil, err
	}
	ts, err := get(encScale)
	if err != nil {
		return nil, err
	}
	tsh, err := get(encShape)
	if err != nil {
		return nil, err
	}
	kern, err := tk.Float32s()
	if err != nil {
		return nil, err
	}
	scale, err := ts.Float32s()
	if err != nil {
		return nil, err
	}
	shape, err := tsh.Int32s()
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 || shape[0] <= 0 || shape[1] <= 0 || len(scale) != 1 || !(scale[0] > 0) || math.IsInf(float64(scale[0]), 0) {
		return nil, fmt.Errorf("encoder: bad image shape %v or scale %v in the model file", shape, scale)
	}
	enc := &Encoder{cfg: e, layer: e.layer(int(shape[0]), int(shape[1]), rc.Model.Seed), scale: scale[0], h: int(shape[0]), w: int(shape[1])}
	dst := enc.layer.Conv.Wt.W
	if len(kern) != len(dst) {
		return nil, fmt.Errorf("encoder: %s has %d values, the configuration needs %d", encKernels, len(kern), len(dst))
	}
	for _, v := range kern {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("encoder: %s holds non-finite values", encKernels)
		}
	}
	copy(dst, kern)
	return enc, nil
}
