package credentials

import (
	"io"
	"os"
	"strconv"
)

// MaxFileSize is the largest file Load reads (real ones are a few kilobytes).
const MaxFileSize = 1 << 20

// Load reads the credentials file at path (see [Parse]), following symbolic
// links. It refuses an empty path, directories, other non-regular files and
// files over [MaxFileSize].
func Load(path string) (*Credentials, error) {
	if path == "" {
		return nil, &Error{Msg: "empty path", Err: ErrInvalid}
	}
	fi, err := os.Stat(path) // before opening: opening a named pipe would block
	if err != nil {
		return nil, fileError(path, "cannot read credentials file", err)
	}
	if err := checkRegular(path, fi.Mode()); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	var data []byte
	if err == nil {
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	}
	if err != nil {
		return nil, fileError(path, "cannot read credentials file", err)
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Path: path,
			Msg: "file is larger than " + strconv.Itoa(MaxFileSize) + " bytes; not a credentials file", Err: ErrTooLarge}
	}
	return Parse(data, path)
}

// checkRegular refuses directories, symbolic links and other non-regular
// files.
func checkRegular(path string, mode os.FileMode) error {
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return &Error{Path: path, Msg: "is a directory, not a credentials file", Err: ErrIsDir}
	case mode&os.ModeSymlink != 0:
		return &Error{Path: path, Msg: "is a symbolic link; refusing to write through it (give the link's target instead)", Err: ErrSymlink}
	}
	return &Error{Path: path, Msg: "is not a regular file (" + mode.Type().String() + ")", Err: ErrNotRegular}
}
