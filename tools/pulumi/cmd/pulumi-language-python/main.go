// Command pulumi-language-python is a minimal Python language host for the
// Pulumi engine, built from this repository where no Pulumi CLI is installed.
//
// Why it exists: the Go module proxy reachable from our machines serves the
// Pulumi CLI (github.com/pulumi/pulumi/pkg/v3) but no version of the upstream
// language host module (github.com/pulumi/pulumi/sdk/python/cmd/...). The
// engine talks to a language host over the LanguageRuntime gRPC service
// defined in sdk/v3, so this program implements the part of that service a
// Python stack needs: run the program, run a plugin written in Python (a
// directory with PulumiPlugin.yaml, `runtime: python`, and a __main__.py),
// report the plugin version, and say that no extra plugins are required.
// Everything else answers Unimplemented, which the engine treats as "not
// supported".
//
// The program itself is run by pulumi-language-python-exec, the shim that
// ships inside the Pulumi Go SDK module and that the Makefile installs next to
// this binary, with the interpreter of the project's virtualenv.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// exitCodeUserActionable is what pulumi-language-python-exec returns after it
// has already shown the user an error; the engine should then not add its own.
const exitCodeUserActionable = 32

func main() {
	engineAddress, tracing := parseArgs(os.Args[1:])
	execScript, err := findExecScript()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	host := &languageHost{engineAddress: engineAddress, tracing: tracing, execScript: execScript}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start language host RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host RPC stopped serving: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs accepts the engine's command line: optional logging and tracing
// flags, then the engine's address as the last positional argument.
func parseArgs(args []string) (engineAddress, tracing string) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--tracing" || arg == "-tracing":
			if i+1 < len(args) {
				tracing = args[i+1]
				i++
			}
		case strings.HasPrefix(arg, "-"):
			// --logtostderr, -v=N, --root=...: accepted and ignored.
		default:
			engineAddress = arg
		}
	}
	return engineAddress, tracing
}

// findExecScript looks for pulumi-language-python-exec beside this binary,
// then on PATH.
func findExecScript() (string, error) {
	const name = "pulumi-language-python-exec"
	if self, err := os.Executable(); err == nil {
		candidate := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("could not find %s beside the language host or on PATH", name)
	}
	return path, nil
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
	execScript    string
}

// pythonFor returns the interpreter for a program: the virtualenv named in
// Pulumi.yaml (runtime.options.virtualenv, relative to the project root), or
// PULUMI_PYTHON_CMD, or python3.
func pythonFor(info *pulumirpc.ProgramInfo) (python string, venv string) {
	if info != nil && info.GetOptions() != nil {
		if v, ok := info.GetOptions().GetFields()["virtualenv"]; ok && v.GetStringValue() != "" {
			venv = v.GetStringValue()
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.GetRootDirectory(), venv)
			}
			return filepath.Join(venv, "bin", "python"), venv
		}
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		return cmd, ""
	}
	return "python3", ""
}

// environment is the process environment for Python, with the virtualenv
// activated when there is one.
func environment(venv string, extra ...string) []string {
	env := make([]string, 0, len(os.Environ())+len(extra)+2)
	for _, kv := range os.Environ() {
		if venv != "" && (strings.HasPrefix(kv, "PYTHONHOME=") || strings.HasPrefix(kv, "PATH=")) {
			continue
		}
		env = append(env, kv)
	}
	if venv != "" {
		env = append(env, "VIRTUAL_ENV="+venv,
			"PATH="+filepath.Join(venv, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return append(env, extra...)
}

func (h *languageHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	python, venv := pythonFor(req.GetInfo())
	out, err := exec.CommandContext(ctx, python, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", python, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: python,
		Version:    strings.TrimSpace(strings.TrimPrefix(string(out), "Python ")),
		Metadata:   map[string]string{"virtualenv": venv},
	}, nil
}

// InstallDependencies creates the virtualenv when it is missing and installs
// requirements.txt from the program directory into it, streaming pip's output.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	python, venv := pythonFor(req.GetInfo())
	out := &streamWriter{server: server}
	run := func(name string, args ...string) error {
		cmd := exec.CommandContext(server.Context(), name, args...)
		cmd.Stdout, cmd.Stderr = out, out
		cmd.Env = environment(venv)
		return cmd.Run()
	}
	if venv != "" {
		if _, err := os.Stat(python); err != nil {
			if err := run("python3", "-m", "venv", venv); err != nil {
				return fmt.Errorf("creating virtualenv %s: %w", venv, err)
			}
		}
	}
	requirements := filepath.Join(req.GetInfo().GetProgramDirectory(), "requirements.txt")
	if _, err := os.Stat(requirements); err != nil {
		return nil
	}
	if err := run(python, "-m", "pip", "install", "-r", requirements); err != nil {
		return fmt.Errorf("installing %s: %w", requirements, err)
	}
	return nil
}

type streamWriter struct {
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if err := w.server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: append([]byte(nil), p...)}); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Run executes the program through pulumi-language-python-exec, passing the
// engine's settings as flags and the configuration as environment variables.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	python, venv := pythonFor(req.GetInfo())
	// Always send a JSON object and a JSON list: the exec shim iterates both.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, fmt.Errorf("serializing configuration: %w", err)
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, fmt.Errorf("serializing secret configuration keys: %w", err)
	}

	program := req.GetProgram()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		program = filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
	}
	if program == "" {
		program = "."
	}

	args := []string{"-u", h.execScript}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engineAddress)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root_directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	flag("dry_run", strconv.FormatBool(req.GetDryRun()))
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.tracing)
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = environment(venv,
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeUserActionable:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("could not run %s: %v", python, err),
		}, nil
	}
}

// RunPlugin runs a plugin written in Python: the plugin directory's
// __main__.py, with the directory's interpreter (its virtualenv option, else
// PULUMI_PYTHON_CMD, else python3), the engine's arguments and environment.
// It streams the plugin's stdout and stderr to the engine as they come and
// ends with the plugin's exit code, as the upstream host does for bare plugin
// directories (packaged plugins run through `pulumi.run.plugin` are not
// supported here).
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram() //nolint:staticcheck // engines before ProgramInfo send only Program
	}
	if _, err := os.Stat(filepath.Join(dir, "__main__.py")); err != nil {
		return fmt.Errorf("plugin directory %s has no __main__.py: %w", dir, err)
	}
	python, venv := pythonFor(info)

	// exec copies stdout and stderr on two goroutines: one lock keeps the
	// stream's sends one at a time, as gRPC requires.
	var lock sync.Mutex
	send := func(out *pulumirpc.RunPluginResponse) error {
		lock.Lock()
		defer lock.Unlock()
		return server.Send(out)
	}
	cmd := exec.CommandContext(server.Context(), python, append([]string{"-u", dir}, req.GetArgs()...)...)
	cmd.Dir = req.GetPwd()
	cmd.Env = environment(venv, req.GetEnv()...)
	cmd.Stdout = sendWriter(func(b []byte) error {
		return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
	cmd.Stderr = sendWriter(func(b []byte) error {
		return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exitErr):
		return send(&pulumirpc.RunPluginResponse{
			Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
		})
	default:
		return fmt.Errorf("could not run the plugin with %s: %w", python, err)
	}
}

// sendWriter is an io.Writer that sends a copy of each write.
type sendWriter func([]byte) error

func (send sendWriter) Write(p []byte) (int, error) {
	if err := send(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}
