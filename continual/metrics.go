package continual

import (
	"fmt"
	"strings"
)

// Matrix is the task-by-task accuracy matrix of one run (Lopez-Paz &
// Ranzato 2017, GEM): R[i][j] is the test accuracy on task j after training
// on tasks 0..i (a fraction in [0, 1]); Base[j] is the accuracy on task j of
// the same model at random initialisation (b̄_j in GEM, used by FWT). Tasks
// names the columns.
type Matrix struct {
	Tasks []string    `json:"tasks"`
	R     [][]float64 `json:"r"`
	Base  []float64   `json:"base"`
}

// NewMatrix returns a T×T matrix of zeros with named tasks.
func NewMatrix(tasks []string) *Matrix {
	T := len(tasks)
	m := &Matrix{Tasks: append([]string(nil), tasks...), R: make([][]float64, T), Base: make([]float64, T)}
	for i := range m.R {
		m.R[i] = make([]float64, T)
	}
	return m
}

// T returns the number of tasks.
func (m *Matrix) T() int { return len(m.R) }

// ACC is the average accuracy after the last task,
//
//	ACC = (1/T) Σ_j R[T−1][j].
func (m *Matrix) ACC() float64 {
	T := m.T()
	if T == 0 {
		return 0
	}
	s := 0.0
	for _, v := range m.R[T-1] {
		s += v
	}
	return s / float64(T)
}

// BWT is backward transfer, the mean change of each earlier task's accuracy
// between just after learning it and the end of the stream,
//
//	BWT = (1/(T−1)) Σ_{j<T−1} (R[T−1][j] − R[j][j]);
//
// negative values are forgetting. It is 0 for T < 2.
func (m *Matrix) BWT() float64 {
	T := m.T()
	if T < 2 {
		return 0
	}
	s := 0.0
	for j := 0; j < T-1; j++ {
		s += m.R[T-1][j] - m.R[j][j]
	}
	return s / float64(T-1)
}

// FWT is forward transfer, how much learning the earlier tasks helps a task
// before it is trained, relative to the random-init model,
//
//	FWT = (1/(T−1)) Σ_{j≥1} (R[j−1][j] − Base[j]).
//
// It is 0 for T < 2.
func (m *Matrix) FWT() float64 {
	T := m.T()
	if T < 2 {
		return 0
	}
	s := 0.0
	for j := 1; j < T; j++ {
		s += m.R[j-1][j] - m.Base[j]
	}
	return s / float64(T-1)
}

// Forgetting is the mean over earlier tasks of the largest drop from any
// earlier accuracy to the final one (Chaudhry et al. 2018),
//
//	F = (1/(T−1)) Σ_{j<T−1} max_{i<T−1} (R[i][j] − R[T−1][j]), i ≥ j.
func (m *Matrix) Forgetting() float64 {
	T := m.T()
	if T < 2 {
		return 0
	}
	s := 0.0
	for j := 0; j < T-1; j++ {
		best := m.R[j][j]
		for i := j; i < T-1; i++ {
			best = max(best, m.R[i][j])
		}
		s += best - m.R[T-1][j]
	}
	return s / float64(T-1)
}

// Flat returns R row by row as float32 (for plot.Matrix).
func (m *Matrix) Flat() []float32 {
	var f []float32
	for _, r := range m.R {
		for _, v := range r {
			f = append(f, float32(v))
		}
	}
	return f
}

// Equal reports whether two matrices hold bit-identical values.
func (m *Matrix) Equal(o *Matrix) bool {
	if m.T() != o.T() {
		return false
	}
	for i := range m.R {
		if m.Base[i] != o.Base[i] {
			return false
		}
		for j := range m.R[i] {
			if m.R[i][j] != o.R[i][j] {
				return false
			}
		}
	}
	return true
}

// String formats R as a markdown table in percent.
func (m *Matrix) String() string {
	var b strings.Builder
	b.WriteString("| after \\ on |")
	for _, t := range m.Tasks {
		fmt.Fprintf(&b, " %s |", t)
	}
	b.WriteString("\n|---|")
	for range m.Tasks {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, r := range m.R {
		fmt.Fprintf(&b, "| %s |", m.Tasks[i])
		for _, v := range r {
			fmt.Fprintf(&b, " %.1f |", 100*v)
		}
		b.WriteString("\n")
	}
	b.WriteString("| random init |")
	for _, v := range m.Base {
		fmt.Fprintf(&b, " %.1f |", 100*v)
	}
	b.WriteString("\n")
	return b.String()
}
