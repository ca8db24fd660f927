// Package dataset loads labelled datasets into memory and generates the
// synthetic tasks used to test temporal learning. It is never imported by the
// simulation core.
package dataset

// Set is a labelled dataset held in memory.
//
// Sample i occupies X[i*Steps*Dim : (i+1)*Steps*Dim]: Steps time steps of Dim
// features each (Steps = 1 for static images). Feature values lie in [0, 1]
// (pixel intensities, or spike/no-spike for event tasks).
type Set struct {
	Name    string
	X       []float32
	Y       []uint8
	N       int // number of samples
	Steps   int // time steps per sample (1 for static data)
	Dim     int // features per step
	Classes int // number of classes
	Height  int // image height for pictures (0 if not an image)
	Width   int // image width for pictures (0 if not an image)
}

// Sample returns the Steps×Dim features of sample i (a view, not a copy).
func (s *Set) Sample(i int) []float32 {
	n := s.Steps * s.Dim
	return s.X[i*n : (i+1)*n]
}
